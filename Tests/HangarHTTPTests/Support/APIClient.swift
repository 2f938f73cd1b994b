import AsyncHTTPClient
import Foundation
import HangarTestSupport
import NIOCore
import NIOHTTP1

/// What the API answered.
struct APIResult {
    let status: Int
    let headers: HTTPHeaders
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object; an empty object when it is not one (the test then fails on
    /// the fields it expects).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }

    /// The API error's code and parameter (`{"error": {"code", "message", "parameter"}}`).
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorParameter: String? { (json["error"] as? [String: Any])?["parameter"] as? String }
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
}

/// One server-sent event.
struct StreamEvent {
    var name = "message"
    var id: String?
    var data = ""

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
    }
}

/// Calls the API of a live server with AsyncHTTPClient, with the bearer token by default.
struct APIClient: Sendable {
    /// The tests' HTTP client. Its waits are generous: with the whole suite on two cores, a
    /// test's task can wait minutes for a thread, and while it does not read a large answer
    /// (the OpenAPI document) the connection reads nothing either, which a 60 s read timeout
    /// (the shared client's) takes for a silent server. Lives as long as the test process.
    static let http = HTTPClient(eventLoopGroupProvider: .singleton,
                                 configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(30), read: .seconds(240))))

    let base: String
    var token: String?
    var cookie: String?

    func withoutToken() -> APIClient { APIClient(base: base, token: nil, cookie: cookie) }

    /// `json` is serialized as the body (with Content-Type: application/json); `raw` is sent as is.
    func send(_ method: HTTPMethod, _ path: String, json: Any? = nil, raw: String? = nil, contentType: String? = nil,
              headers extra: [(String, String)] = []) async throws -> APIResult {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        for (name, value) in extra { request.headers.replaceOrAdd(name: name, value: value) }
        if let json {
            let data = try JSONSerialization.data(withJSONObject: json)
            request.body = .bytes(ByteBuffer(bytes: data))
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
        } else if let raw {
            request.body = .bytes(ByteBuffer(string: raw))
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
        }
        let response = try await Self.http.execute(request, timeout: .seconds(240))
        let body = try await response.body.collect(upTo: 64 << 20)
        return APIResult(status: Int(response.status.code), headers: response.headers, body: Data(buffer: body))
    }

    func get(_ path: String) async throws -> APIResult { try await send(.GET, path) }
    func post(_ path: String, _ json: Any? = nil) async throws -> APIResult { try await send(.POST, path, json: json) }
    func patch(_ path: String, _ json: Any) async throws -> APIResult { try await send(.PATCH, path, json: json) }
    func put(_ path: String, _ json: Any) async throws -> APIResult { try await send(.PUT, path, json: json) }
    func delete(_ path: String) async throws -> APIResult { try await send(.DELETE, path) }

    /// Reads a server-sent event stream, handing each event to `onEvent` until it returns false
    /// or the server closes the stream; returns the HTTP status and whether the server closed it.
    @discardableResult
    func stream(_ path: String, lastEventID: String? = nil, timeout: TimeAmount = .seconds(120),
                onEvent: (StreamEvent) async throws -> Bool) async throws -> (status: Int, closedByServer: Bool) {
        var pending = ""
        return try await streamChunks(path, lastEventID: lastEventID, timeout: timeout) { chunk in
            pending += chunk
            while let end = pending.range(of: "\n\n") {
                let block = String(pending[..<end.lowerBound])
                pending = String(pending[end.upperBound...])
                guard let event = Self.parse(block) else { continue }
                if try await !onEvent(event) { return false }
            }
            return true
        }
    }

    /// The stream's body as it arrives, chunk by chunk, until `onChunk` returns false or the
    /// server closes it.
    func streamChunks(_ path: String, lastEventID: String? = nil, timeout: TimeAmount = .seconds(120),
                      onChunk: (String) async throws -> Bool) async throws -> (status: Int, closedByServer: Bool) {
        var request = HTTPClientRequest(url: base + path)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response = try await Self.http.execute(request, deadline: .now() + timeout)
        guard response.status == .ok else { return (Int(response.status.code), true) }
        for try await chunk in response.body {
            if try await !onChunk(String(buffer: chunk)) { return (200, false) }
        }
        return (200, true)
    }

    /// One event block; nil for comments (`: ping`) and the `retry:` hint alone.
    static func parse(_ block: String) -> StreamEvent? {
        var event = StreamEvent()
        var hasData = false
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") { continue }
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let field = String(parts[0])
            var value = parts.count > 1 ? String(parts[1]) : ""
            if value.hasPrefix(" ") { value.removeFirst() }
            switch field {
            case "event": event.name = value
            case "id": event.id = value
            case "data":
                event.data += (hasData ? "\n" : "") + value
                hasData = true
            default: break
            }
        }
        return hasData ? event : nil
    }
}

extension ServeProcess {
    /// A client of this server's API, with its token.
    func client() throws -> APIClient {
        APIClient(base: url, token: try token())
    }
}

/// Unique names, so tests sharing a home never clash.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
}
