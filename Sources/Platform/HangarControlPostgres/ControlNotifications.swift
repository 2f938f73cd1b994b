import Foundation
import HangarFlights
import Logging
import PostgresNIO

extension PostgresControlStore {
    /// The channel a new pending run is announced on (see the `runs` insert trigger).
    public static let runsChannel = "hangar_runs"

    /// Calls `onNotification` for each notification on `channel` until the calling task is
    /// cancelled, over a connection of its own (LISTEN holds a connection). A lost connection is
    /// re-established with backoff; notifications sent meanwhile are missed, so listeners also
    /// look at the store now and then, and once after each reconnection (`onNotification` is
    /// called then too).
    public func listen(_ channel: String, onNotification: @escaping @Sendable () -> Void) async {
        var pause = Duration.milliseconds(200)
        var attempt = 0
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: try url.connectionConfiguration(), id: 1_000_000 + attempt, logger: logger)
                attempt += 1
                pause = .milliseconds(200)
                do {
                    try await connection.listen(on: channel) { notifications in
                        onNotification()
                        for try await _ in notifications { onNotification() }
                    }
                } catch {
                    if !Task.isCancelled { logger.notice("listening on \(channel) failed (\(Self.describe(error))); reconnecting") }
                }
                try? await connection.close()
            } catch {
                if !Task.isCancelled { logger.notice("cannot listen on \(channel) (\(Self.describe(error))); retrying") }
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(5))
        }
    }
}
