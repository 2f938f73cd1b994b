import Foundation
import HangarTestSupport

/// Runs `body` on `count` threads at once and returns the errors they threw.
func concurrently(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> [any Error] {
    outcomesOnThreads(count, body).compactMap { outcome in
        if case .failure(let error) = outcome { error } else { nil }
    }
}

/// Collects values from several threads.
final class Collected<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Value] = []

    func append(_ value: Value) { lock.withLock { stored.append(value) } }
    var values: [Value] { lock.withLock { stored } }
}
