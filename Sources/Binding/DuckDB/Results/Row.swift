/// One result row: values by position or column name.
public struct Row: Sendable, Hashable {
    public let columns: ColumnNames
    public let values: [DuckDBValue]

    public init(columns: ColumnNames, values: [DuckDBValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(index: Int) -> DuckDBValue { values[index] }

    /// The value of the first column so named, or nil when there is none.
    public subscript(name: String) -> DuckDBValue? {
        columns.index(of: name).map { values[$0] }
    }

    /// A column converted to a Swift type: `let id: Int = try row.get("id")`.
    public func get<T: DuckDBValueConvertible>(_ name: String, as _: T.Type = T.self) throws -> T {
        guard let index = columns.index(of: name) else {
            throw DuckDBError.misuse("no column named \(name); the columns are \(columns.names.joined(separator: ", "))")
        }
        return try T(duckDBValue: values[index])
    }

    public func get<T: DuckDBValueConvertible>(_ index: Int, as _: T.Type = T.self) throws -> T {
        try T(duckDBValue: values[index])
    }

    /// The row decoded into a `Decodable` type, fields matched to columns by name.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try T(from: ValueDecoder(value: .structure(zip(columns.names, values).map { DuckDBStructField($0, $1) }), codingPath: []))
    }
}

/// The column names of a result, shared by its rows.
public final class ColumnNames: Sendable, Hashable {
    public let names: [String]
    private let positions: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
        self.positions = positions
    }

    public func index(of name: String) -> Int? { positions[name] }

    public static func == (a: ColumnNames, b: ColumnNames) -> Bool { a.names == b.names }
    public func hash(into hasher: inout Hasher) { hasher.combine(names) }
}
