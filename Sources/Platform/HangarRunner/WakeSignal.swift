import Synchronization

/// Wakes a loop that otherwise sleeps between looks: `signal()` ends the current (or the next)
/// `wait(upTo:)` at once. Signals while nobody waits are kept as one.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns after `timeout`, at a signal, or when the task is cancelled, whichever is first.
    func wait(upTo timeout: Duration) async {
        if state.withLock({ state in defer { state.pending = false }; return state.pending }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.nextSignal() }
            await group.next()
            group.cancelAll()
            // The other task may hold the continuation: end it so the group can finish.
            self.signal()
            await group.waitForAll()
            _ = self.state.withLock { state in state.pending = false }
        }
    }

    private func nextSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.signal()
        }
    }
}
