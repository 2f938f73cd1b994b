/// A table of the schema: its columns in the order data brought them, and its parent when it
/// holds a nested list.
public struct TableSchema: Sendable, Codable, Equatable {
    public var name: String
    /// The table whose rows own this table's rows (`_dlt_parent_id`), for child tables.
    public var parent: String?
    public private(set) var columns: [ColumnSchema] {
        didSet { revision &+= 1 }
    }
    /// Set on root tables; child tables follow their root.
    public var writeDisposition: WriteDisposition? {
        didSet { revision &+= 1 }
    }
    /// The resource that fills this table (root tables).
    public var resource: String? {
        didSet { revision &+= 1 }
    }
    /// For merge tables: how rows merge, and the hints that steer it (column names normalized).
    public var merge: MergeSettings? {
        didSet { revision &+= 1 }
    }
    /// Column positions by name: lookups happen for every value normalized.
    private var positions: [String: Int]
    /// Changes with every mutation, so a caller can tell cheaply whether a copy is stale.
    private(set) var revision = 0

    public init(name: String, parent: String? = nil, columns: [ColumnSchema] = [],
                writeDisposition: WriteDisposition? = nil, resource: String? = nil) {
        self.name = name
        self.parent = parent
        self.columns = columns
        self.writeDisposition = writeDisposition
        self.resource = resource
        positions = Self.index(columns)
    }

    enum CodingKeys: String, CodingKey {
        case name, parent, columns, writeDisposition = "write_disposition", resource, merge
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try container.decode(String.self, forKey: .name),
                  parent: try container.decodeIfPresent(String.self, forKey: .parent),
                  columns: try container.decode([ColumnSchema].self, forKey: .columns),
                  writeDisposition: try container.decodeIfPresent(WriteDisposition.self, forKey: .writeDisposition),
                  resource: try container.decodeIfPresent(String.self, forKey: .resource))
        merge = try container.decodeIfPresent(MergeSettings.self, forKey: .merge)
    }

    public static func == (a: TableSchema, b: TableSchema) -> Bool {
        a.name == b.name && a.parent == b.parent && a.columns == b.columns && a.writeDisposition == b.writeDisposition
            && a.resource == b.resource && a.merge == b.merge
    }

    /// Primary key columns, in table order.
    public var primaryKey: [String] { columns.filter(\.primaryKey).map(\.name) }
    public var mergeKey: [String] { columns.filter(\.mergeKey).map(\.name) }

    /// Marks a column as (part of) the merge key.
    public mutating func markMergeKey(_ name: String) {
        guard let index = positions[name], !columns[index].mergeKey else { return }
        columns[index].mergeKey = true
    }

    private static func index(_ columns: [ColumnSchema]) -> [String: Int] {
        var positions: [String: Int] = [:]
        for (index, column) in columns.enumerated() where positions[column.name] == nil { positions[column.name] = index }
        return positions
    }

    public func column(named name: String) -> ColumnSchema? {
        positions[name].map { columns[$0] }
    }

    public mutating func add(_ column: ColumnSchema) {
        guard positions[column.name] == nil else { return }
        positions[column.name] = columns.count
        columns.append(column)
    }

    /// Marks a column as (part of) the primary key, which also makes it non-nullable.
    public mutating func markPrimaryKey(_ name: String) {
        guard let index = positions[name], !columns[index].primaryKey else { return }
        columns[index].primaryKey = true
        columns[index].nullable = false
    }

    public mutating func setType(_ type: DataType, ofColumn name: String) {
        guard let index = positions[name] else { return }
        columns[index].dataType = type
    }
}
