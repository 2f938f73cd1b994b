import Foundation
import HangarFlights
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// Connections to the control database for synchronous callers: each transaction borrows one,
/// runs its statements through postgres-nio's EventLoopFuture interface (waited on from the
/// calling thread, while NIO's event loops do the I/O), and gives it back. A connection that
/// failed is dropped and the next borrower opens a new one, so a restarted server is reached
/// again without anyone noticing beyond a short wait.
final class PostgresConnectionPool: Sendable {
    let url: PostgresControlURL
    let logger: Logger
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(1)
    /// Idle connections kept open; more are opened when many threads write at once.
    static let keptIdle = 8

    init(url: PostgresControlURL, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    func borrow() throws -> PostgresConnection {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        let id = nextID.add(1, ordering: .relaxed).oldValue
        return try PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try url.connectionConfiguration(), id: id, logger: logger
        ).wait()
    }

    /// Returns a healthy connection; a broken one (or one too many) is closed.
    func giveBack(_ connection: PostgresConnection, healthy: Bool) {
        if healthy, !connection.isClosed {
            let kept = idle.withLock { idle -> Bool in
                guard idle.count < Self.keptIdle else { return false }
                idle.append(connection)
                return true
            }
            if kept { return }
        }
        let closing: EventLoopFuture<Void> = connection.close()
        _ = closing
    }

    func closeAll() {
        for connection in idle.withLock({ idle in defer { idle.removeAll() }; return idle }) {
            let closing: EventLoopFuture<Void> = connection.close()
            try? closing.wait()
        }
    }
}
