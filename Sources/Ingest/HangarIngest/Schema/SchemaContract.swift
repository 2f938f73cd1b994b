/// What data may change in a schema, per entity: new tables, new columns of existing tables,
/// and values whose type does not fit their column (variants, widening). dlt's schema contracts.
public struct SchemaContract: Sendable, Codable, Equatable {
    public enum Mode: String, Sendable, Codable, CaseIterable {
        /// Change the schema as the data asks.
        case evolve
        /// Fail the run, naming table, column and entity; nothing is loaded.
        case freeze
        /// Drop rows that would change the schema, counting them in LoadInfo.
        case discardRow = "discard_row"
        /// Drop only the values that would change the schema (for `tables`, the same as
        /// `discardRow`: a row cannot go without its table).
        case discardValue = "discard_value"
    }

    public var tables: Mode
    public var columns: Mode
    public var dataType: Mode

    public init(tables: Mode = .evolve, columns: Mode = .evolve, dataType: Mode = .evolve) {
        self.tables = tables
        self.columns = columns
        self.dataType = dataType
    }

    /// One mode for every entity.
    public init(_ all: Mode) {
        self.init(tables: all, columns: all, dataType: all)
    }

    public static let evolve = SchemaContract()
    public static let freeze = SchemaContract(.freeze)

    enum CodingKeys: String, CodingKey { case tables, columns, dataType = "data_type" }

    /// Whether any entity drops whole rows, which needs the row's effects to be undoable.
    var discardsRows: Bool {
        [tables, columns, dataType].contains(.discardRow) || tables == .discardValue
    }
}
