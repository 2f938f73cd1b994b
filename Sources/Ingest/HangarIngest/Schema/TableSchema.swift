/// A table of the schema: its columns in the order data brought them, and its parent when it
/// holds a nested list.
public struct TableSchema: Sendable, Codable, Equatable {
    public var name: String
    /// The table whose rows own this table's rows (`_dlt_parent_id`), for child tables.
    public var parent: String?
    public private(set) var columns: [ColumnSchema]

    public init(name: String, parent: String? = nil, columns: [ColumnSchema] = []) {
        self.name = name
        self.parent = parent
        self.columns = columns
    }

    public func column(named name: String) -> ColumnSchema? {
        columns.first { $0.name == name }
    }

    mutating func add(_ column: ColumnSchema) {
        columns.append(column)
    }

    mutating func setType(_ type: DataType, ofColumn name: String) {
        guard let index = columns.firstIndex(where: { $0.name == name }) else { return }
        columns[index].dataType = type
    }
}
