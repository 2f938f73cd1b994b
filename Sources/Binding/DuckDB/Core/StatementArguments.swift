/// Values for a statement's parameters: positional (`?` or `$1`) or named (`$name`).
///
///     try connection.execute("INSERT INTO t VALUES (?, ?)", [1, nil])
///     try connection.query("SELECT * FROM t WHERE id = $id", ["id": 1])
public enum StatementArguments: Sendable, Equatable, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    case positional([DuckDBValue])
    case named([String: DuckDBValue])

    public static let none = StatementArguments.positional([])

    public init(arrayLiteral elements: (any DuckDBValueConvertible)?...) {
        self = .positional(elements.map { $0?.duckDBValue ?? .null })
    }

    public init(dictionaryLiteral elements: (String, (any DuckDBValueConvertible)?)...) {
        self = .named(Dictionary(elements.map { ($0, $1?.duckDBValue ?? .null) }, uniquingKeysWith: { _, last in last }))
    }

    public init(_ values: [any DuckDBValueConvertible]) {
        self = .positional(values.map(\.duckDBValue))
    }

    public var isEmpty: Bool {
        switch self {
        case .positional(let values): values.isEmpty
        case .named(let values): values.isEmpty
        }
    }
}
