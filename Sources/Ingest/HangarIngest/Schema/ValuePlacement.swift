/// Where one value lands: the column (maybe a new or variant one) and the value as stored.
public struct ValuePlacement: Sendable, Equatable {
    public let column: String
    public let value: IngestValue
    /// The schema change that placing the value made, if any.
    public let change: SchemaChange?

    public init(column: String, value: IngestValue, change: SchemaChange?) {
        self.column = column
        self.value = value
        self.change = change
    }
}
