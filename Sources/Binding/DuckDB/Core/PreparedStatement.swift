import CDuckDB

/// A statement parsed and planned once, run many times with different arguments.
public final class PreparedStatement {
    let raw: duckdb_prepared_statement
    public let sql: String
    let connection: Connection

    convenience init(sql: String, connection: Connection) throws {
        var statement: duckdb_prepared_statement?
        let state = duckdb_prepare(connection.handle.raw, sql, &statement)
        try self.init(state: state, statement: statement, sql: sql, connection: connection)
    }

    init(state: duckdb_state, statement: duckdb_prepared_statement?, sql: String, connection: Connection) throws {
        guard state == DuckDBSuccess, let statement else {
            let message = duckdb_prepare_error(statement).map { String(cString: $0) } ?? "could not prepare the statement"
            var failed = statement
            duckdb_destroy_prepare(&failed)
            throw DuckDBError(PreparedStatement.kind(of: message), message: message, sql: sql)
        }
        raw = statement
        self.sql = sql
        self.connection = connection
    }

    deinit {
        var statement: duckdb_prepared_statement? = raw
        duckdb_destroy_prepare(&statement)
    }

    /// `duckdb_prepare_error` gives no error type; DuckDB's messages start with it.
    private static func kind(of message: String) -> DuckDBError.Kind {
        let prefixes: [(String, DuckDBError.Kind)] = [
            ("Parser Error", .parser), ("Binder Error", .binder), ("Catalog Error", .catalog),
            ("Conversion Error", .conversion), ("Invalid Input Error", .invalidInput),
            ("Not implemented Error", .notImplemented), ("Constraint Error", .constraint),
            ("IO Error", .io), ("Permission Error", .permission), ("Transaction Error", .transaction),
            ("Out of Range Error", .outOfRange), ("Interrupt Error", .interrupt),
        ]
        return prefixes.first { message.hasPrefix($0.0) }?.1 ?? .other
    }

    public var parameterCount: Int { Int(duckdb_nparams(raw)) }

    /// Parameter names in order (`"1"`, `"2"` for positional ones).
    public var parameterNames: [String] {
        (0..<parameterCount).map { index in
            guard let name = duckdb_parameter_name(raw, UInt64(index + 1)) else { return String(index + 1) }
            defer { duckdb_free(UnsafeMutableRawPointer(mutating: name)) }
            return String(cString: name)
        }
    }

    /// Binds every parameter; all must be given.
    public func bind(_ arguments: StatementArguments) throws {
        duckdb_clear_bindings(raw)
        switch arguments {
        case .positional(let values):
            guard values.count == parameterCount else {
                throw DuckDBError.misuse("the statement takes \(parameterCount) parameters, \(values.count) were given", sql: sql)
            }
            for (index, value) in values.enumerated() { try bind(value, at: index + 1) }
        case .named(let values):
            for (name, value) in values {
                var index: UInt64 = 0
                guard duckdb_bind_parameter_index(raw, &index, name) == DuckDBSuccess else {
                    throw DuckDBError.misuse("the statement has no parameter $\(name); it has \(parameterNames.map { "$" + $0 }.joined(separator: ", "))", sql: sql)
                }
                try bind(value, at: Int(index))
            }
            if values.count < parameterCount {
                let missing = parameterNames.filter { values[$0] == nil }
                throw DuckDBError.misuse("no value for \(missing.map { "$" + $0 }.joined(separator: ", "))", sql: sql)
            }
        }
    }

    /// Binds one parameter (1-based).
    public func bind(_ value: DuckDBValue, at index: Int) throws {
        var expected: DuckDBType?
        switch value {
        case .list, .array, .structure, .map, .enumeration:
            // Nested values are built with the parameter's own type when DuckDB knows it, so
            // that an empty list or a NULL element still gets the right element type.
            var logical: duckdb_logical_type? = duckdb_param_logical_type(raw, UInt64(index))
            defer { duckdb_destroy_logical_type(&logical) }
            if let logical {
                let id = duckdb_get_type_id(logical)
                if id != DUCKDB_TYPE_INVALID && id != DUCKDB_TYPE_ANY && id != DUCKDB_TYPE_SQLNULL {
                    expected = DuckDBType(logical)
                }
            }
        default: break
        }
        var converted: duckdb_value? = try value.makeCValue(as: expected)
        let state = duckdb_bind_value(raw, UInt64(index), converted)
        duckdb_destroy_value(&converted)
        guard state == DuckDBSuccess else {
            throw DuckDBError(.invalidInput, message: "could not bind \(value) to parameter \(index)", sql: sql)
        }
    }

    /// Runs the statement; returns the number of rows it changed.
    @discardableResult
    public func execute(_ arguments: StatementArguments? = nil) throws -> Int {
        if let arguments { try bind(arguments) }
        var result = duckdb_result()
        defer { duckdb_destroy_result(&result) }
        guard duckdb_execute_prepared(raw, &result) == DuckDBSuccess else {
            throw DuckDBError.from(result: &result, sql: sql)
        }
        return Int(duckdb_rows_changed(&result))
    }

    /// Runs the statement and streams its result chunk by chunk.
    public func query(_ arguments: StatementArguments? = nil) throws -> ResultSet {
        if let arguments { try bind(arguments) }
        let result = UnsafeMutablePointer<duckdb_result>.allocate(capacity: 1)
        result.initialize(to: duckdb_result())
        guard duckdb_execute_prepared_streaming(raw, result) == DuckDBSuccess else {
            let error = DuckDBError.from(result: result, sql: sql)
            duckdb_destroy_result(result)
            result.deallocate()
            throw error
        }
        return ResultSet(result: result, statement: self)
    }

    /// Splits SQL text into statements without running them.
    static func extract(_ sql: String, connection: Connection) throws -> [ExtractedStatement] {
        var extracted: duckdb_extracted_statements?
        let count = duckdb_extract_statements(connection.handle.raw, sql, &extracted)
        let owner = ExtractedStatements(raw: extracted)
        if count == 0, let error = duckdb_extract_statements_error(extracted) {
            throw DuckDBError(.parser, message: String(cString: error), sql: sql)
        }
        return (0..<count).map { ExtractedStatement(owner: owner, index: $0, sql: sql, connection: connection) }
    }
}

final class ExtractedStatements {
    let raw: duckdb_extracted_statements?
    init(raw: duckdb_extracted_statements?) { self.raw = raw }
    deinit {
        var extracted = raw
        duckdb_destroy_extracted(&extracted)
    }
}

/// One statement of a multi-statement text, prepared only when its turn comes: a statement may
/// depend on what the ones before it created.
struct ExtractedStatement {
    let owner: ExtractedStatements
    let index: UInt64
    let sql: String
    let connection: Connection

    func prepare() throws -> PreparedStatement {
        var statement: duckdb_prepared_statement?
        let state = duckdb_prepare_extracted_statement(connection.handle.raw, owner.raw, index, &statement)
        return try PreparedStatement(state: state, statement: statement, sql: sql, connection: connection)
    }
}
