/// Polls `probe` until it returns a value, failing after `timeout`: how a test waits for
/// something another process does (a run finishing, a line printed), without guessing a time.
/// Between probes the task sleeps; no thread is held.
public func eventually<T>(_ what: String, timeout: Duration = .seconds(90), every interval: Duration = .milliseconds(50),
                          _ probe: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await probe() { return value }
        guard ContinuousClock.now < deadline else { throw TestFailure("timed out after \(timeout) waiting for \(what)") }
        try await Task.sleep(for: interval)
    }
}

/// `eventually` for a condition: returns once `condition` holds.
public func eventually(_ what: String, timeout: Duration = .seconds(90), every interval: Duration = .milliseconds(50),
                       _ condition: () async throws -> Bool) async throws {
    _ = try await eventually(what, timeout: timeout, every: interval) { () async throws -> Bool? in
        try await condition() ? true : nil
    }
}
