/// A change data made to a table's schema; the destination migrates by applying these in order.
public enum SchemaChange: Sendable, Equatable {
    case addColumn(table: String, column: ColumnSchema)
    /// A bigint column that received a float becomes double (where dlt would add a variant).
    case widenColumn(table: String, column: String, from: DataType, to: DataType)
}
