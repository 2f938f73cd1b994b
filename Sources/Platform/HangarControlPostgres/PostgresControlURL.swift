import Foundation
import HangarFlights
import NIOSSL
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
    /// libpq's `sslmode`: `disable`, `prefer` (the default, as libpq's) or `require`;
    /// `verify-ca` and `verify-full` also check the server's certificate against the system's
    /// trust roots (and its name).
    public let sslMode: String

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
        sslMode = query["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw FlightsError.storage("sslmode=\(sslMode) is not one of disable, prefer, require, verify-ca, verify-full")
        }
    }

    func tls() throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case "disable": return .disable
        case "verify-full": configuration.certificateVerification = .fullVerification
        case "verify-ca": configuration.certificateVerification = .noHostnameVerification
        default: configuration.certificateVerification = .none
        }
        let context = try NIOSSLContext(configuration: configuration)
        return sslMode == "allow" || sslMode == "prefer" ? .prefer(context) : .require(context)
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketFolder {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: socketFolder + "/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            configuration = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: try tls())
        }
        configuration.options.connectTimeout = .seconds(5)
        // A client that vanished mid-transaction must not hold the write lock: the server ends
        // a session idle inside a transaction, and a statement that runs too long.
        configuration.options.additionalStartupParameters = [
            ("idle_in_transaction_session_timeout", "20000"), ("statement_timeout", "30000"),
        ]
        return configuration
    }

    public var description: String {
        let place = socketFolder.map { "\(host == "localhost" ? "" : host)/\(database)?host=\($0)" } ?? "\(host):\(port)/\(database)"
        return "postgres://\(username)\(password == nil ? "" : ":***")@\(place)"
    }
}
