import Foundation

/// What the replay server remembers between requests: the generation of sample data it serves,
/// failures still to inject, the rate-limit window and the requests it answered.
actor ReplayState {
    struct Recorded: Codable, Sendable {
        let method: String
        let path: String
        let query: String
        let status: Int
    }

    /// What happens to an API request before it reaches its route.
    enum Admission: Sendable {
        case fail(status: Int)
        case rateLimited
        case serve
    }

    struct RateLimit: Sendable {
        let limit: Int
        let remaining: Int
        let used: Int
        let reset: Int
    }

    private(set) var generation: String
    private var failuresLeft: Int
    private var failStatus: Int
    private let limit: Int
    private let window: TimeInterval
    private var used = 0
    private var resetAt: Date
    private(set) var requests: [Recorded] = []

    init(options: ReplayOptions) {
        generation = options.generation
        failuresLeft = options.failFirst
        failStatus = options.failStatus
        limit = options.rateLimit
        window = options.rateLimitWindow
        resetAt = Date().addingTimeInterval(options.rateLimitWindow)
    }

    /// Injected failures first, then the rate limit (a served request uses one).
    func admit() -> Admission {
        if failuresLeft > 0 {
            failuresLeft -= 1
            return .fail(status: failStatus)
        }
        let now = Date()
        if now >= resetAt {
            used = 0
            resetAt = now.addingTimeInterval(window)
        }
        guard used < limit else { return .rateLimited }
        used += 1
        return .serve
    }

    var rateLimit: RateLimit {
        RateLimit(limit: limit, remaining: max(0, limit - used), used: used, reset: Int(resetAt.timeIntervalSince1970.rounded(.up)))
    }

    /// Ends the current window now, as if its reset time had come: lets a test wait out a
    /// long window on its own clock instead of the wall clock.
    func resetRateLimit() {
        used = 0
        resetAt = Date().addingTimeInterval(window)
    }

    var failuresPending: Int { failuresLeft }

    func setGeneration(_ name: String) { generation = name }

    func injectFailures(_ count: Int, status: Int) {
        failuresLeft = count
        failStatus = status
    }

    func record(_ request: Recorded) { requests.append(request) }
}
