import DuckDB
import Foundation

/// A lake's maintenance runs, kept in its own catalog database beside DuckLake's tables
/// (`<metadata schema>.hangar_maintenance`), so every host sharing the lake reads and writes one
/// history. Reached through DuckDB's `postgres_scanner`, each statement its own transaction.
public struct LakeMaintenanceHistory {
    private let connection: Connection
    private let table: String

    public init(location: DuckLakeLocation) throws {
        connection = try Database(.inMemory).connect()
        try connection.execute("SET autoinstall_known_extensions = false")
        try connection.execute("SET autoload_known_extensions = false")
        try ProvisionedExtensions.load("postgres_scanner", into: connection)
        table = Self.postgresIdentifier(location.metadataSchema) + ".hangar_maintenance"
        do {
            try connection.execute("ATTACH \(quoteLiteral(location.catalog)) AS catalog (TYPE postgres)")
            try execute("""
                CREATE SCHEMA IF NOT EXISTS \(Self.postgresIdentifier(location.metadataSchema));
                CREATE TABLE IF NOT EXISTS \(table) (
                  id BIGSERIAL PRIMARY KEY, scheduled_minute BIGINT, outcome TEXT NOT NULL,
                  started_at TIMESTAMPTZ NOT NULL, report TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS hangar_maintenance_fire ON \(table) (scheduled_minute)
                """)
        } catch let error as DuckDBError {
            throw DuckLakeError(.catalogUnreachable, "cannot keep the maintenance history in the catalog of \(location.description): "
                                + DuckLake.maskingCatalog(error.message, location))
        }
    }

    /// Whether a run for the fire at `scheduledAt` did its work (or failed trying) on some host.
    public func hasRun(scheduledAt: Date) throws -> Bool {
        let minute = Int64(scheduledAt.timeIntervalSince1970.rounded(.down))
        return try connection.scalar("""
            SELECT count(*) FROM postgres_query('catalog', \(quoteLiteral("SELECT 1 FROM \(table) WHERE scheduled_minute = \(minute) AND outcome IN ('succeeded', 'failed')")))
            """, as: Int.self) ?? 0 > 0
    }

    public func record(_ report: LakeMaintenance.Report) throws {
        let json = String(decoding: try Self.encoder.encode(report), as: UTF8.self)
        let minute = report.scheduledAt.map { "\(Int64($0.timeIntervalSince1970.rounded(.down)))" } ?? "NULL"
        try execute("""
            INSERT INTO \(table) (scheduled_minute, outcome, started_at, report)
            VALUES (\(minute), \(Self.postgresLiteral(report.outcome.rawValue)), to_timestamp(\(report.startedAt.timeIntervalSince1970)), \(Self.postgresLiteral(json)))
            """)
    }

    /// The latest `limit` runs, newest first.
    public func recent(limit: Int = 20) throws -> [LakeMaintenance.Report] {
        let rows = try connection.query("""
            SELECT report FROM postgres_query('catalog', \(quoteLiteral("SELECT report FROM \(table) ORDER BY id DESC LIMIT \(max(0, limit))")))
            """).all()
        return try rows.map { try Self.decoder.decode(LakeMaintenance.Report.self, from: Data(try $0.get(0, as: String.self).utf8)) }
    }

    private func execute(_ sql: String) throws {
        try connection.execute("CALL postgres_execute('catalog', \(quoteLiteral(sql)))")
    }

    static func postgresIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func postgresLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
            return try Date(text, strategy: Date.ISO8601FormatStyle())
        }
        return decoder
    }()
}
