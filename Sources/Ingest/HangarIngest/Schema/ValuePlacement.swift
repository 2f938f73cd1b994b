/// Where one value lands: the column (maybe a new or variant one) and the value as stored.
public struct ValuePlacement: Sendable, Equatable {
    public let column: String
    public let value: IngestValue
    /// The schema change that placing the value made, if any.
    public let change: SchemaChange?
    /// The column as it stands after the placement, saving the caller another lookup.
    let columnSchema: ColumnSchema?

    public init(column: String, value: IngestValue, change: SchemaChange?) {
        self.init(column: column, value: value, change: change, columnSchema: nil)
    }

    init(column: String, value: IngestValue, change: SchemaChange?, columnSchema: ColumnSchema?) {
        self.column = column
        self.value = value
        self.change = change
        self.columnSchema = columnSchema
    }

    public static func == (a: ValuePlacement, b: ValuePlacement) -> Bool {
        a.column == b.column && a.value == b.value && a.change == b.change
    }
}
