import Foundation

/// Resolved once the HTTP server listens (with its port), or failed when it never will; other
/// services wait on it so that `listening on …` is the first line the server prints.
public final class ServerReadiness: @unchecked Sendable {
    private enum State {
        case waiting([CheckedContinuation<Int?, Never>])
        case done(Int?)
    }

    private let lock = NSLock()
    private var state = State.waiting([])

    public init() {}

    /// The port, once listening; nil when the server failed or stopped first.
    public func port() async -> Int? {
        await withCheckedContinuation { continuation in
            let ready: Int?? = lock.withLock {
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .done(let port):
                    return .some(port)
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func resolve(port: Int) { finish(port) }

    func fail() { finish(nil) }

    private func finish(_ port: Int?) {
        let waiters: [CheckedContinuation<Int?, Never>] = lock.withLock {
            guard case .waiting(let waiters) = state else { return [] }
            state = .done(port)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }
}
