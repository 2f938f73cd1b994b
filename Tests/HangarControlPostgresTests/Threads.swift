import Foundation

/// Runs `body` on `count` threads at once (released together) and returns each result in index
/// order, or the first error. Real threads, like hosts: the store's calls block.
func onThreads<Value: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Value) throws -> [Value] {
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
    return try results.values()
}

private final class Results<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Result<Value, any Error>?]

    init(_ count: Int) { stored = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, any Error>) { lock.withLock { stored[index] = result } }

    func values() throws -> [Value] { try lock.withLock { try stored.map { try $0!.get() } } }
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
