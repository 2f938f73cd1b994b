import Foundation

/// A request that failed for good (after its retries), or a response that could not be read.
/// Its URL and detail are masked: no secret of the client's auth appears in them.
///
///     do { … } catch let error as RESTError where error.status == 404 { … }
public struct RESTError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server answered with this non-2xx status (after retries, if it was retryable).
        case status(Int)
        /// The attempt's deadline passed (``RESTClient/timeout``).
        case timeout
        /// The connection could not be made or broke.
        case connection
        /// A rate limit asks to wait longer than ``RetryPolicy/maxWait``.
        case rateLimited
        /// The URL could not be built or used.
        case invalidURL
        /// A JSON path given to the kit cannot be read.
        case invalidPath
        /// The body is not the JSON (or the `Decodable` shape) expected.
        case decoding
        /// The body is larger than ``RESTClient/maxResponseBytes``.
        case responseTooLarge
    }

    public let kind: Kind
    /// `GET`, `POST`, …
    public let method: String
    /// The request's URL, masked.
    public let url: String
    /// How many attempts were made.
    public let attempts: Int
    /// What went wrong: the server's body (the start of it), the transport's message or the
    /// decoder's, masked.
    public let detail: String

    init(_ kind: Kind, method: String, url: String, attempts: Int, detail: String) {
        self.kind = kind
        self.method = method
        self.url = url
        self.attempts = attempts
        self.detail = detail
    }

    /// The HTTP status, for ``Kind/status(_:)``.
    public var status: Int? {
        if case .status(let status) = kind { return status }
        return nil
    }

    public var description: String {
        let request = method.isEmpty ? url : "\(method) \(url)"
        let tries = attempts > 1 ? " after \(attempts) attempts" : ""
        let what: String
        switch kind {
        case .status(let status): what = "failed with HTTP \(status)\(tries)"
        case .timeout: what = "timed out\(tries)"
        case .connection: what = "could not connect\(tries)"
        case .rateLimited: what = "is rate limited"
        case .invalidURL: what = "is not a usable URL"
        case .invalidPath: what = "has a bad JSON path"
        case .decoding: what = "returned a body that cannot be decoded"
        case .responseTooLarge: what = "returned too large a body"
        }
        let head = request.isEmpty ? what : "\(request) \(what)"
        return detail.isEmpty ? head : "\(head): \(detail)"
    }
}
