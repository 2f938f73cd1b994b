import Foundation

/// The schema of a pipeline's dataset: its tables in the order data created them, versioned so
/// the destination can tell which schema a load used.
///
/// Stored as JSON with the pipeline (`schemas/<name>.schema.json`), in each load package, and in
/// the destination's `_dlt_version` table.
public struct Schema: Sendable, Codable, Equatable {
    public static let engineVersion = 1

    public var name: String
    /// Increases with every change to tables or columns.
    public private(set) var version: Int
    /// A digest of the tables and columns; equal schemas have equal hashes.
    public private(set) var versionHash: String
    public private(set) var tables: [TableSchema]

    public init(name: String) {
        self.name = name
        version = 1
        tables = []
        versionHash = ""
        versionHash = computeHash()
    }

    public func table(named name: String) -> TableSchema? {
        tables.first { $0.name == name }
    }

    /// The tables holding user data (not the `_dlt_` system tables), parents before children.
    public var dataTables: [TableSchema] {
        tables.filter { !$0.name.hasPrefix("_dlt_") }
    }

    /// Replaces or adds a table; bumps the version when the table changed.
    public mutating func update(_ table: TableSchema) {
        if let index = tables.firstIndex(where: { $0.name == table.name }) {
            guard tables[index] != table else { return }
            tables[index] = table
        } else {
            tables.append(table)
        }
        bumpVersion()
    }

    /// Children of `table`, in creation order.
    public func children(of table: String) -> [TableSchema] {
        tables.filter { $0.parent == table }
    }

    /// The root table of `table` (itself when it has no parent).
    public func root(of table: String) -> String {
        var current = table
        while let parent = self.table(named: current)?.parent { current = parent }
        return current
    }

    private mutating func bumpVersion() {
        let hash = computeHash()
        guard hash != versionHash else { return }
        version += 1
        versionHash = hash
    }

    private func computeHash() -> String {
        // Names and types only, in order: a digest of what the destination must look like.
        var canonical = name
        for table in tables {
            canonical += "|" + table.name + ">" + (table.parent ?? "") + ":" + (table.writeDisposition?.rawValue ?? "")
            for column in table.columns {
                canonical += "," + column.name + " " + column.dataType.rawValue + (column.nullable ? "" : "!")
                    + (column.primaryKey ? "#" : "")
            }
        }
        return StableHash.base64Digest(of: canonical, bytes: 12)
    }

    /// The schema as pretty JSON, the way it is written to disk.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    public static func from(jsonData data: Data) throws -> Schema {
        try JSONDecoder().decode(Schema.self, from: data)
    }

    enum CodingKeys: String, CodingKey {
        case name, version, versionHash = "version_hash", tables, engineVersion = "engine_version"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        version = try container.decode(Int.self, forKey: .version)
        versionHash = try container.decode(String.self, forKey: .versionHash)
        tables = try container.decode([TableSchema].self, forKey: .tables)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(version, forKey: .version)
        try container.encode(versionHash, forKey: .versionHash)
        try container.encode(Self.engineVersion, forKey: .engineVersion)
        try container.encode(tables, forKey: .tables)
    }
}
