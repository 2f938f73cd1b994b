import Foundation

/// Runs `body` on `count` threads at once and returns the errors they threw. Real threads (not
/// tasks, which the cooperative pool would cap at the core count) so that every worker blocks in
/// SQLite's busy handler beside the others; a gate releases them together.
func concurrently(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> [any Error] {
    let gate = Gate()
    let results = ResultBox()
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        let thread = Thread {
            gate.waitUntilOpen()
            do { try body(index) } catch { results.append(error) }
            done.leave()
        }
        thread.start()
    }
    gate.open()
    done.wait()
    return results.errors
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [any Error] = []

    func append(_ error: any Error) { lock.withLock { stored.append(error) } }
    var errors: [any Error] { lock.withLock { stored } }
}

/// Collects values from several threads.
final class Collected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Value] = []

    func append(_ value: Value) { lock.withLock { stored.append(value) } }
    var values: [Value] { lock.withLock { stored } }
}

/// Holds threads until it opens.
final class Gate: @unchecked Sendable {
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
