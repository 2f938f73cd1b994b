/// What a resource says about one column up front; hints win over inference.
public struct ColumnHint: Sendable, Codable, Equatable {
    public var name: String
    public var dataType: DataType?
    public var nullable: Bool?

    public init(_ name: String, _ dataType: DataType? = nil, nullable: Bool? = nil) {
        self.name = name
        self.dataType = dataType
        self.nullable = nullable
    }
}
