import Foundation

/// Runs `body` on `count` threads at once (released together) and returns each result in index
/// order, or the first error. Real threads, not tasks (which the cooperative pool caps at the
/// core count), so that every caller blocks in the store beside the others, as processes and
/// hosts do.
public func onThreads<Value: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Value) throws -> [Value] {
    try outcomesOnThreads(count, body).map { try $0.get() }
}

/// As ``onThreads(_:_:)``, with every thread's outcome, failures included.
public func outcomesOnThreads<Value: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Value) -> [Result<Value, any Error>] {
    let results = Results<Value>(count)
    let gate = StartGate()
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        Thread {
            gate.waitUntilOpen()
            results.set(index, Result { try body(index) })
            done.leave()
        }.start()
    }
    gate.open()
    done.wait()
    return results.values()
}

private final class Results<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Result<Value, any Error>?]

    init(_ count: Int) { stored = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, any Error>) { lock.withLock { stored[index] = result } }

    func values() -> [Result<Value, any Error>] { lock.withLock { stored.map { $0! } } }
}

private final class StartGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    func waitUntilOpen() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Runs `body` on a thread of its own and awaits it: for a test that blocks for long (processes
/// run one after another, semaphores), so that it never holds one of the cooperative pool's few
/// threads, which every async test (and every `eventually`) needs to go on.
public func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
