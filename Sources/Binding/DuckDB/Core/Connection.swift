import CDuckDB

/// A session with a database: statements, transactions, appenders and Swift-defined functions.
///
/// A connection is not `Sendable`: the compiler keeps it in the task (or actor) that opened it,
/// because DuckDB connections must not run two things at once. Open one per task with
/// `Database.connect()`, or share one through `SerialConnection`. `interruptHandle` is the one
/// part that may cross tasks.
public final class Connection {
    let handle: ConnectionHandle
    public var database: Database { handle.database }

    init(database: Database) throws {
        handle = try ConnectionHandle(database: database)
    }

    /// Runs one or more statements, discarding any result.
    public func execute(_ sql: String) throws {
        var result = duckdb_result()
        defer { duckdb_destroy_result(&result) }
        guard duckdb_query(handle.raw, sql, &result) == DuckDBSuccess else {
            throw DuckDBError.from(result: &result, sql: sql)
        }
    }

    /// Runs one statement with arguments; returns the number of rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ arguments: StatementArguments) throws -> Int {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        return try statement.execute()
    }

    /// Runs the statements in `sql` and streams the last one's result. Earlier statements run
    /// first, in order, so `SET VARIABLE x = 1; SELECT getvariable('x')` works.
    public func query(_ sql: String, _ arguments: StatementArguments = .none) throws -> ResultSet {
        if !arguments.isEmpty {
            let statement = try prepare(sql)
            try statement.bind(arguments)
            return try statement.query()
        }
        let statements = try PreparedStatement.extract(sql, connection: self)
        guard let last = statements.last else {
            throw DuckDBError(.parser, message: "no statement to run", sql: sql)
        }
        for statement in statements.dropLast() {
            try statement.prepare().execute()
        }
        return try last.prepare().query()
    }

    /// A prepared statement for repeated execution with different arguments.
    public func prepare(_ sql: String) throws -> PreparedStatement {
        try PreparedStatement(sql: sql, connection: self)
    }

    /// The first column of the first row, converted; nil when there is no row or it is NULL.
    public func scalar<T: DuckDBValueConvertible>(_ sql: String, _ arguments: StatementArguments = .none, as _: T.Type = T.self) throws -> T? {
        guard let row = try query(sql, arguments).next(), let value = row.values.first, !value.isNull else { return nil }
        return try T(duckDBValue: value)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: (Connection) throws -> T) throws -> T {
        try execute("BEGIN TRANSACTION")
        let result: T
        do {
            result = try body(self)
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        return result
    }

    /// A handle that interrupts this connection's running query from another task.
    public var interruptHandle: InterruptHandle { InterruptHandle(connection: handle) }

    /// A bulk loader into an existing table.
    public func appender(table: String, schema: String? = nil, catalog: String? = nil) throws -> Appender {
        try Appender(connection: self, catalog: catalog, schema: schema, table: table)
    }
}
