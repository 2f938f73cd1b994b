/// One column of a table schema, with the hints that shape how data lands in it.
public struct ColumnSchema: Sendable, Codable, Equatable {
    public var name: String
    public var dataType: DataType
    public var nullable: Bool
    public var primaryKey: Bool
    public var mergeKey: Bool
    /// The column receives values that did not fit `<base column>`; named `<base>__v_<type>`.
    public var variant: Bool

    public init(name: String, dataType: DataType, nullable: Bool = true, primaryKey: Bool = false,
                mergeKey: Bool = false, variant: Bool = false) {
        self.name = name
        self.dataType = dataType
        self.nullable = nullable
        self.primaryKey = primaryKey
        self.mergeKey = mergeKey
        self.variant = variant
    }

    enum CodingKeys: String, CodingKey {
        case name, dataType = "data_type", nullable, primaryKey = "primary_key", mergeKey = "merge_key", variant
    }
}
