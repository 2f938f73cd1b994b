import Foundation

/// Polls `probe` until it returns a value, failing after `timeout`: how a test waits for
/// something another process does (a run finishing), without sleeping a guessed time.
func eventually<T>(_ what: String, timeout: Duration = .seconds(90), every interval: Duration = .milliseconds(50),
                   _ probe: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await probe() { return value }
        guard ContinuousClock.now < deadline else { throw TestFailure("timed out after \(timeout) waiting for \(what)") }
        try await Task.sleep(for: interval)
    }
}
