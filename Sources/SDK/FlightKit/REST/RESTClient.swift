import Foundation

/// An HTTP client for REST sources (async-http-client underneath): a base URL, default headers,
/// auth, a timeout per attempt, retries with exponential backoff and jitter that honour
/// `Retry-After` and GitHub's rate-limit headers, JSON decoding, and paginated reads as
/// `AsyncSequence`s of pages that feed a resource directly.
///
///     let github = try RESTClient(baseURL: "https://api.github.com",
///                                 headers: ["Accept": "application/vnd.github+json"],
///                                 auth: flight.secret("GITHUB_TOKEN").map(RESTAuth.bearer))
///     let repo = try await github.get(Repository.self, "/repos/duckdb/duckdb")
///     let issues = Resource("issues", hints: TableHints(table: "issues", writeDisposition: .merge, primaryKey: ["id"]),
///                           incremental: Incremental(cursorPath: "updated_at")) { emit in
///         let query = ["state": "all", "since": emit.incremental?.startParameter]
///         for try await page in github.pages("/repos/duckdb/duckdb/issues", query: query, paginator: .linkHeader()) {
///             try emit.page(page)
///         }
///     }
///
/// Copies share one connection pool and one rate-limit state. Cancelling the task cancels the
/// request in flight and any wait. Secrets (the auth's values, sensitive query parameters,
/// ``secrets``) never appear in the log, in descriptions or in errors.
public struct RESTClient: Sendable, CustomStringConvertible {
    /// Relative paths are appended to it; nil takes absolute URLs only.
    public var baseURL: URL?
    /// Sent with every request (a request's own headers win). `User-Agent` defaults to
    /// `Hangar-FlightKit` (GitHub refuses requests without one).
    public var headers: [String: String]
    public var auth: RESTAuth? {
        didSet { redactor = Redactor(auth: auth, secrets: secrets) }
    }
    /// More values to mask wherever they would be shown.
    public var secrets: [String] {
        didSet { redactor = Redactor(auth: auth, secrets: secrets) }
    }
    /// One attempt's deadline, from sending the request to the body's last byte.
    public var timeout: Duration
    public var retry: RetryPolicy
    public var clock: any RESTClock
    public var log: RESTLog
    /// Larger bodies fail with ``RESTError/Kind/responseTooLarge``.
    public var maxResponseBytes: Int

    private(set) var redactor: Redactor
    private let transport: HTTPTransport
    private let rateLimit = RateLimitGate()

    /// - Parameters:
    ///   - connectTimeout: how long establishing a connection may take (within ``timeout``);
    ///     async-http-client tries again within it when a connection is refused.
    ///   - followRedirects: follow up to 5 redirects (on by default).
    public init(baseURL: String? = nil, headers: [String: String] = [:], auth: RESTAuth? = nil,
                timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10),
                retry: RetryPolicy = RetryPolicy(), clock: any RESTClock = SystemRESTClock(),
                log: RESTLog = .standardError(), secrets: [String] = [], maxResponseBytes: Int = 64 << 20,
                followRedirects: Bool = true) throws {
        let redactor = Redactor(auth: auth, secrets: secrets)
        if let baseURL {
            guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  url.host != nil else {
                throw RESTError(.invalidURL, method: "", url: redactor.url(baseURL), attempts: 0,
                                detail: "the base URL must be an absolute http(s) URL")
            }
            self.baseURL = url
        } else {
            self.baseURL = nil
        }
        self.headers = headers
        self.auth = auth
        self.secrets = secrets
        self.timeout = timeout
        self.retry = retry
        self.clock = clock
        self.log = log
        self.maxResponseBytes = maxResponseBytes
        self.redactor = redactor
        transport = HTTPTransport(connectTimeout: min(connectTimeout, timeout), followRedirects: followRedirects)
    }

    // MARK: Requests

    /// A GET request; `query` values that are nil are left out (`["since": cursor?.startParameter]`).
    public func get(_ path: String, query: [String: String?] = [:], headers: [String: String] = [:]) async throws -> RESTResponse {
        try await request("GET", path, query: query, headers: headers)
    }

    /// A GET request whose JSON body is decoded as `Value`.
    public func get<Value: Decodable>(_ type: Value.Type, _ path: String, query: [String: String?] = [:],
                                      headers: [String: String] = [:], decoder: JSONDecoder = JSONDecoder()) async throws -> Value {
        try await get(path, query: query, headers: headers).decode(Value.self, decoder: decoder)
    }

    /// Any request. Returns a 2xx response; anything else, after the retries the policy allows,
    /// throws a ``RESTError``. Cancellation throws `CancellationError`.
    public func request(_ method: String, _ path: String, query: [String: String?] = [:],
                        headers: [String: String] = [:], body: Data? = nil) async throws -> RESTResponse {
        var url = try URLBuilder.resolve(path, base: baseURL)
        var parameters = query
        if let item = auth?.queryItem { parameters[item.name] = item.value }
        url = URLBuilder.setting(parameters, in: url)
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
              parsed.host != nil else {
            throw RESTError(.invalidURL, method: method, url: redactor.url(url), attempts: 0, detail: "")
        }
        return try await send(method: method.uppercased(), url: url, headers: requestHeaders(headers), body: body)
    }

    /// Pages of `path`, fetched as the sequence is iterated, following `paginator`. `dataPath`
    /// says where each page's rows are (see ``RESTResponse/rows(at:)``); paginators that stop at
    /// an empty page count them. `maxPages` stops early.
    public func pages(_ path: String, query: [String: String?] = [:], headers: [String: String] = [:],
                      paginator: RESTPaginator = .linkHeader(), dataPath: String? = nil, maxPages: Int? = nil) -> RESTPages {
        RESTPages(client: self, path: path, query: query, headers: headers, paginator: paginator, dataPath: dataPath,
                  maxPages: maxPages)
    }

    /// Masks this client's secrets in a URL or a message, for code that logs its own lines.
    public func redact(_ text: String) -> String { redactor.text(text) }

    public var description: String {
        let shown = requestHeaders([:]).map { "\($0.0): \(redactor.header($0.0, $0.1))" }.joined(separator: ", ")
        return "RESTClient(\(baseURL.map { redactor.url($0.absoluteString) } ?? "no base URL"), "
            + "auth: \(auth?.description ?? "none"), headers: [\(shown)])"
    }

    // MARK: Sending, with retries

    private func requestHeaders(_ extra: [String: String]) -> [(String, String)] {
        var merged: [String: (String, String)] = [:]
        merged["user-agent"] = ("User-Agent", "Hangar-FlightKit/\(FlightKit.version)")
        for (name, value) in auth?.headers ?? [] { merged[name.lowercased()] = (name, value) }
        for (name, value) in headers { merged[name.lowercased()] = (name, value) }
        for (name, value) in extra { merged[name.lowercased()] = (name, value) }
        return merged.keys.sorted().map { merged[$0]! }
    }

    private func send(method: String, url: String, headers: [(String, String)], body: Data?) async throws -> RESTResponse {
        let shownURL = redactor.url(url)
        var attempt = 0
        while true {
            try Task.checkCancellation()
            attempt += 1
            try await waitForRateLimitReset(method: method, url: shownURL, attempt: attempt)
            let started = ContinuousClock.now
            let outcome: Result<TransportResponse, TransportFailure>
            do {
                outcome = .success(try await transport.send(method: method, url: url, headers: headers, body: body,
                                                            timeout: timeout, maxBytes: maxResponseBytes))
            } catch {
                outcome = .failure(error)
            }
            let elapsed = (ContinuousClock.now - started).shortDescription

            let wait: Duration
            let reason: String
            switch outcome {
            case .success(let answer):
                let response = RESTResponse(status: answer.status, headerFields: answer.headers, body: answer.body,
                                            url: url, method: method, attempts: attempt, redactor: redactor)
                let limit = response.rateLimit
                if let limit, limit.isExhausted, let reset = limit.reset { rateLimit.exhausted(until: reset) }
                if log.requests { log.write("\(method) \(shownURL) → \(answer.status) in \(elapsed)") }
                if (200..<300).contains(answer.status) { return response }

                let excerpt = redactor.text(String(decoding: answer.body.prefix(500), as: UTF8.self))
                let failure = RESTError(.status(answer.status), method: method, url: shownURL, attempts: attempt, detail: excerpt)
                let retryAfter = response.header("Retry-After").flatMap { RetryPolicy.retryAfter($0, now: clock.now) }
                let rateLimited = limit?.isExhausted == true && limit?.reset != nil
                let retryable = retry.retryStatuses.contains(answer.status)
                    || (answer.status == 403 && (rateLimited || retryAfter != nil))
                guard retryable, attempt < retry.maxAttempts else { throw failure }
                if let retryAfter {
                    guard retryAfter <= retry.maxWait else {
                        throw RESTError(.rateLimited, method: method, url: shownURL, attempts: attempt,
                                        detail: "Retry-After asks for \(retryAfter.shortDescription), more than the \(retry.maxWait.shortDescription) allowed")
                    }
                    wait = retryAfter
                    reason = "HTTP \(answer.status), Retry-After \(retryAfter.shortDescription)"
                } else if rateLimited {
                    // The wait happens at the top of the loop, until the reset.
                    wait = .zero
                    reason = "HTTP \(answer.status), rate limit exhausted"
                } else {
                    wait = retry.backoff(retry: attempt)
                    reason = "HTTP \(answer.status)"
                }
            case .failure(.cancelled):
                throw CancellationError()
            case .failure(let failure):
                let error: RESTError
                switch failure {
                case .timeout(let detail):
                    error = RESTError(.timeout, method: method, url: shownURL, attempts: attempt,
                                      detail: redactor.text("no response within \(timeout.shortDescription) (\(detail))"))
                case .connection(let detail):
                    error = RESTError(.connection, method: method, url: shownURL, attempts: attempt, detail: redactor.text(detail))
                case .request(let detail):
                    throw RESTError(.invalidURL, method: method, url: shownURL, attempts: attempt, detail: redactor.text(detail))
                case .tooLarge(let limit):
                    throw RESTError(.responseTooLarge, method: method, url: shownURL, attempts: attempt,
                                    detail: "the body is larger than \(limit) bytes")
                case .cancelled:
                    throw CancellationError()
                }
                if log.requests { log.write("\(method) \(shownURL) → \(error.kind == .timeout ? "timeout" : "connection error") after \(elapsed)") }
                guard retry.retryConnectionErrors, attempt < retry.maxAttempts else { throw error }
                wait = retry.backoff(retry: attempt)
                reason = error.kind == .timeout ? "timed out" : "connection failed (\(error.detail))"
            }
            if wait > .zero {
                log.write("\(method) \(shownURL): \(reason); retry \(attempt) of \(retry.maxAttempts - 1) in \(wait.shortDescription)")
                try await clock.sleep(for: wait)
            } else {
                log.write("\(method) \(shownURL): \(reason); retry \(attempt) of \(retry.maxAttempts - 1)")
            }
        }
    }

    /// After a response said no request is left in the rate-limit window, waits until its reset
    /// before sending (GitHub's `x-ratelimit-remaining: 0` / `x-ratelimit-reset`).
    private func waitForRateLimitReset(method: String, url: String, attempt: Int) async throws {
        guard let reset = rateLimit.reset else { return }
        let now = clock.now
        guard reset > now else { return rateLimit.clear(ifAt: reset) }
        // A second past the reset: the server's clock and ours need not agree to the millisecond.
        let wait = Duration.seconds(reset.timeIntervalSince(now) + 1)
        guard wait <= retry.maxWait else {
            throw RESTError(.rateLimited, method: method, url: url, attempts: attempt - 1,
                            detail: "the rate limit resets at \(Self.timestamp(reset)), in \(wait.shortDescription), more than the \(retry.maxWait.shortDescription) allowed")
        }
        log.write("\(method) \(url): rate limit exhausted (x-ratelimit-remaining: 0); waiting \(wait.shortDescription) for the reset at \(Self.timestamp(reset))")
        try await clock.sleep(for: wait)
        rateLimit.clear(ifAt: reset)
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }
}

/// The reset time of an exhausted rate limit, shared by a client's copies.
final class RateLimitGate: @unchecked Sendable {
    private let lock = NSLock()
    private var resetAt: Date?

    var reset: Date? { lock.withLock { resetAt } }

    func exhausted(until reset: Date) {
        lock.withLock { resetAt = max(resetAt ?? reset, reset) }
    }

    func clear(ifAt reset: Date) {
        lock.withLock { if resetAt == reset { resetAt = nil } }
    }
}
