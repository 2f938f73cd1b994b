/// A table of the schema: its columns in the order data brought them, and its parent when it
/// holds a nested list.
public struct TableSchema: Sendable, Codable, Equatable {
    public var name: String
    /// The table whose rows own this table's rows (`_dlt_parent_id`), for child tables.
    public var parent: String?
    public private(set) var columns: [ColumnSchema]
    /// Set on root tables; child tables follow their root.
    public var writeDisposition: WriteDisposition?
    /// The resource that fills this table (root tables).
    public var resource: String?

    public init(name: String, parent: String? = nil, columns: [ColumnSchema] = [],
                writeDisposition: WriteDisposition? = nil, resource: String? = nil) {
        self.name = name
        self.parent = parent
        self.columns = columns
        self.writeDisposition = writeDisposition
        self.resource = resource
    }

    enum CodingKeys: String, CodingKey {
        case name, parent, columns, writeDisposition = "write_disposition", resource
    }

    public func column(named name: String) -> ColumnSchema? {
        columns.first { $0.name == name }
    }

    public mutating func add(_ column: ColumnSchema) {
        columns.append(column)
    }

    /// Marks a column as (part of) the primary key, which also makes it non-nullable.
    public mutating func markPrimaryKey(_ name: String) {
        guard let index = columns.firstIndex(where: { $0.name == name }), !columns[index].primaryKey else { return }
        columns[index].primaryKey = true
        columns[index].nullable = false
    }

    public mutating func setType(_ type: DataType, ofColumn name: String) {
        guard let index = columns.firstIndex(where: { $0.name == name }) else { return }
        columns[index].dataType = type
    }
}
