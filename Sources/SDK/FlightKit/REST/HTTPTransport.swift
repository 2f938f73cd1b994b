// The only file that touches async-http-client and SwiftNIO. They are imported
// implementation-only: no type of theirs is part of FlightKit's interface (the client is reached
// through `HTTPTransport`, a reference), so a flight compiles against FlightKit's module alone,
// without NIO's C modules on its search path.
@_implementationOnly import AsyncHTTPClient
import Foundation
@_implementationOnly import NIOCore
@_implementationOnly import NIOHTTP1

/// One HTTP exchange as the transport hands it back: status, headers in order, the whole body.
struct TransportResponse: Sendable {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: Data
}

/// Why an exchange produced no response, sorted by what the retry logic does with it.
enum TransportFailure: Error, Sendable {
    /// The attempt's deadline passed (connecting, or waiting for the response).
    case timeout(String)
    /// The connection could not be made or broke: worth another attempt.
    case connection(String)
    /// The request itself is unusable (bad URL, too many redirects): retrying cannot help.
    case request(String)
    /// The response body was larger than allowed.
    case tooLarge(Int)
    case cancelled
}

/// An async-http-client `HTTPClient` on NIO's shared event loops, shut down when the last
/// ``RESTClient`` copy using it goes away.
final class HTTPTransport: Sendable {
    private let client: HTTPClient

    init(connectTimeout: Duration, followRedirects: Bool) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: Self.timeAmount(connectTimeout))
        configuration.redirectConfiguration = followRedirects ? .follow(max: 5, allowCycles: false) : .disallow
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        // Non-blocking: the client keeps itself alive until its connections are closed.
        client.shutdown { _ in }
    }

    func send(method: String, url: String, headers: [(String, String)], body: Data?, timeout: Duration,
              maxBytes: Int) async throws(TransportFailure) -> TransportResponse {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(request, timeout: Self.timeAmount(timeout))
            var buffer = try await response.body.collect(upTo: maxBytes)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            return TransportResponse(status: Int(response.status.code),
                                     headers: response.headers.map { (name: $0.name, value: $0.value) },
                                     body: Data(bytes))
        } catch {
            throw Self.classify(error, maxBytes: maxBytes)
        }
    }

    private static func classify(_ error: any Error, maxBytes: Int) -> TransportFailure {
        if error is CancellationError || Task.isCancelled { return .cancelled }
        if error is NIOTooManyBytesError { return .tooLarge(maxBytes) }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return .cancelled
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout:
                return .timeout(String(describing: error))
            case .invalidURL, .emptyHost, .emptyScheme, .redirectLimitReached, .redirectCycleDetected,
                 .traceRequestWithBody, .alreadyShutdown:
                return .request(String(describing: error))
            default: return .connection(String(describing: error))
            }
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return .timeout(String(describing: error)) }
        return .connection(String(describing: error))
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
