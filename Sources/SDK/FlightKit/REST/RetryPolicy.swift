import Foundation

/// When and how long a ``RESTClient`` waits before trying a request again.
///
/// An attempt is retried when the server answers with one of ``retryStatuses`` (408, 425, 429
/// and every 5xx), or a 403 that is GitHub's rate limit (`x-ratelimit-remaining: 0`, or a
/// `Retry-After`), and when the connection fails or times out. The wait before retry *n* is
/// `initialDelay × multiplier^(n-1)`, at most ``maxDelay``, less a random part of up to
/// ``jitter`` of it (so clients that failed together do not return together), unless the server
/// says how long: a `Retry-After` (seconds or an HTTP date) is waited exactly, and an exhausted
/// rate limit (`x-ratelimit-remaining: 0`) is waited out until `x-ratelimit-reset`. A wait longer
/// than ``maxWait`` fails the request at once with ``RESTError/Kind/rateLimited``.
///
/// Every method is retried alike (sources read, mostly with GET): give a request that must not
/// be repeated a client with ``none``.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 never retries.
    public var maxAttempts: Int
    public var initialDelay: Duration
    public var multiplier: Double
    public var maxDelay: Duration
    /// The fraction of each backoff delay that is random, 0…1.
    public var jitter: Double
    public var retryStatuses: Set<Int>
    /// Retry when the connection fails or the attempt times out.
    public var retryConnectionErrors: Bool
    /// The longest wait a `Retry-After` or a rate-limit reset may ask for.
    public var maxWait: Duration

    public static let defaultStatuses: Set<Int> = Set([408, 425, 429]).union(500...599)

    public init(maxAttempts: Int = 5, initialDelay: Duration = .seconds(1), multiplier: Double = 2,
                maxDelay: Duration = .seconds(60), jitter: Double = 0.5, retryStatuses: Set<Int> = RetryPolicy.defaultStatuses,
                retryConnectionErrors: Bool = true, maxWait: Duration = .seconds(3600)) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = min(1, max(0, jitter))
        self.retryStatuses = retryStatuses
        self.retryConnectionErrors = retryConnectionErrors
        self.maxWait = maxWait
    }

    /// One attempt, no retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before retry number `retry` (1 for the first retry); `random` in 0..<1.
    public func backoff(retry: Int, random: Double = Double.random(in: 0..<1)) -> Duration {
        let base = initialDelay.seconds * pow(multiplier, Double(max(0, retry - 1)))
        let capped = min(base, maxDelay.seconds)
        return .seconds(capped * (1 - jitter * random))
    }

    /// How long a `Retry-After` value asks to wait: delta seconds, or an HTTP date after `now`.
    static func retryAfter(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return .seconds(max(0, date.timeIntervalSince(now))) }
        }
        return nil
    }
}

/// The time a ``RESTClient`` waits by: real time, or a test's clock that records the waits and
/// moves its own `now` instead of sleeping.
public protocol RESTClock: Sendable {
    /// The wall-clock time, to compare with `x-ratelimit-reset` and HTTP dates.
    var now: Date { get }
    /// Waits; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// Real time.
public struct SystemRESTClock: RESTClock {
    public init() {}
    public var now: Date { Date() }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// Where a ``RESTClient`` reports retries, rate-limit waits and (with ``requests``) each request,
/// URLs masked. The default writes to standard error, which is the run's log in a flight.
public struct RESTLog: Sendable {
    /// Also log every request with its status and time.
    public var requests: Bool
    let write: @Sendable (String) -> Void

    public init(requests: Bool = false, _ write: @escaping @Sendable (String) -> Void) {
        self.requests = requests
        self.write = write
    }

    /// Lines on standard error, prefixed `[rest]`.
    public static func standardError(requests: Bool = false) -> RESTLog {
        RESTLog(requests: requests) { line in FileHandle.standardError.write(Data("[rest] \(line)\n".utf8)) }
    }

    public static let silent = RESTLog { _ in }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `0.25 s`, `42 s`.
    var shortDescription: String {
        let value = seconds
        return value < 10 ? String(format: "%.2f s", value) : String(format: "%.0f s", value)
    }
}
