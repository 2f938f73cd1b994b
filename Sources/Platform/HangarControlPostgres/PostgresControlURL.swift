import Foundation
import HangarFlights
import PostgresNIO

/// Where a PostgreSQL control store is: `postgres://user:password@host:port/database`, or a Unix
/// socket with `?host=/socket/folder` (libpq's form). The password may instead come from
/// `PGPASSWORD`, so it stays out of `ps`. Printed, the URL never shows the password.
public struct PostgresControlURL: Sendable, CustomStringConvertible {
    public let username: String
    let password: String?
    public let database: String
    public let host: String
    public let port: Int
    /// The socket folder, when connecting through a Unix socket.
    public let socketFolder: String?

    /// Whether `text` selects PostgreSQL (`postgres://` or `postgresql://`).
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(FlightsError) {
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw FlightsError.storage("the control store URL is not postgres://user[:password]@host[:port]/database (or ?host=/socket/folder for a Unix socket)")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        username = components.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"]
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : path
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        socketFolder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
    }

    var connectionConfiguration: PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketFolder {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: socketFolder + "/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            configuration = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    public var description: String {
        let place = socketFolder.map { "\(host == "localhost" ? "" : host)/\(database)?host=\($0)" } ?? "\(host):\(port)/\(database)"
        return "postgres://\(username)\(password == nil ? "" : ":***")@\(place)"
    }
}
