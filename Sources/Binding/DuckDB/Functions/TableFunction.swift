import CDuckDB

/// A table function written in Swift, callable from SQL as `SELECT * FROM name(...)`,
/// `FROM name(...)` or `CALL name(...)`.
///
///     let listRuns = TableFunction(name: "list_runs", parameters: [.varchar],
///                                  namedParameters: ["limit": .bigint]) { arguments in
///         let limit = arguments.named["limit"]?.int64 ?? 100
///         return TableFunctionResult(columns: [("id", .bigint)], rows: (0..<limit).map { [.bigint($0)] })
///     }
///     try connection.register(listRuns)
///
/// `bind` runs when DuckDB binds the call (once per call); an error it throws reaches the SQL
/// caller as a DuckDB error with the same message.
public struct TableFunction: Sendable {
    public let name: String
    public let parameters: [DuckDBType]
    public let namedParameters: [String: DuckDBType]
    let bind: @Sendable (TableFunctionArguments) throws -> TableFunctionResult

    public init(name: String, parameters: [DuckDBType] = [], namedParameters: [String: DuckDBType] = [:],
                bind: @escaping @Sendable (TableFunctionArguments) throws -> TableFunctionResult) {
        self.name = name
        self.parameters = parameters
        self.namedParameters = namedParameters
        self.bind = bind
    }
}

/// The arguments of one call: positional ones in order, and the named ones the caller gave.
public struct TableFunctionArguments: Sendable {
    public let positional: [DuckDBValue]
    public let named: [String: DuckDBValue]

    public subscript(index: Int) -> DuckDBValue { positional[index] }
    public subscript(name: String) -> DuckDBValue? { named[name] }
}

/// What a call returns: its columns, and its rows produced on demand.
public struct TableFunctionResult {
    public let columns: [(name: String, type: DuckDBType)]
    let next: (() throws -> [DuckDBValue]?)?
    let fill: ((DataChunk) throws -> Int)?

    /// Rows produced one at a time by `next`, which returns nil at the end.
    public init(columns: [(name: String, type: DuckDBType)], next: @escaping () throws -> [DuckDBValue]?) {
        self.columns = columns
        self.next = next
        fill = nil
    }

    /// Rows produced a chunk at a time, the fast path for bulk data: `fill` writes up to
    /// `DataChunk.capacity` rows into the chunk's columns from row 0 on (with
    /// `DataChunk.write(_:column:from:count:at:)` and `DataChunk.setNull(column:rows:)`) and
    /// returns how many; 0 ends the result.
    public init(columns: [(name: String, type: DuckDBType)], fill: @escaping (DataChunk) throws -> Int) {
        self.columns = columns
        next = nil
        self.fill = fill
    }

    public init<Rows: Sequence>(columns: [(name: String, type: DuckDBType)], rows: Rows) where Rows.Element == [DuckDBValue] {
        var iterator = rows.makeIterator()
        self.init(columns: columns) { iterator.next() }
    }
}

/// Boxes that cross the C boundary as `void *`.
private final class TableFunctionBox {
    let function: TableFunction
    init(_ function: TableFunction) { self.function = function }
}

private final class TableFunctionState {
    let result: TableFunctionResult
    let width: Int
    init(_ result: TableFunctionResult) {
        self.result = result
        width = result.columns.count
    }
}

private func releaseBox(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    Unmanaged<AnyObject>.fromOpaque(pointer).release()
}

extension Connection {
    /// Registers a table function on this connection's database.
    public func register(_ function: TableFunction) throws {
        var raw: duckdb_table_function? = duckdb_create_table_function()
        defer { duckdb_destroy_table_function(&raw) }
        duckdb_table_function_set_name(raw, function.name)
        for parameter in function.parameters {
            withLogicalType(parameter) { duckdb_table_function_add_parameter(raw, $0) }
        }
        for (name, type) in function.namedParameters.sorted(by: { $0.key < $1.key }) {
            withLogicalType(type) { duckdb_table_function_add_named_parameter(raw, name, $0) }
        }
        let box = Unmanaged.passRetained(TableFunctionBox(function) as AnyObject).toOpaque()
        duckdb_table_function_set_extra_info(raw, box, releaseBox)
        duckdb_table_function_set_bind(raw, tableFunctionBind)
        duckdb_table_function_set_init(raw, tableFunctionInit)
        duckdb_table_function_set_function(raw, tableFunctionProduce)
        guard duckdb_register_table_function(handle.raw, raw) == DuckDBSuccess else {
            throw DuckDBError(.catalog, message: "could not register table function \(function.name): the name may be taken")
        }
    }
}

private func tableFunctionBind(_ info: duckdb_bind_info?) {
    let box = Unmanaged<AnyObject>.fromOpaque(duckdb_bind_get_extra_info(info)!).takeUnretainedValue() as! TableFunctionBox
    let function = box.function
    let positional = (0..<duckdb_bind_get_parameter_count(info)).map { index in
        var value = duckdb_bind_get_parameter(info, index)
        defer { duckdb_destroy_value(&value) }
        return value.map(DuckDBValue.init) ?? .null
    }
    var named: [String: DuckDBValue] = [:]
    for name in function.namedParameters.keys {
        // DuckDB returns nil for a named parameter the caller did not give.
        var value: duckdb_value? = duckdb_bind_get_named_parameter(info, name)
        guard let present = value else { continue }
        named[name] = DuckDBValue(present)
        duckdb_destroy_value(&value)
    }
    do {
        let result = try function.bind(TableFunctionArguments(positional: positional, named: named))
        guard !result.columns.isEmpty else {
            throw DuckDBError.misuse("table function \(function.name) returned no columns")
        }
        for column in result.columns {
            withLogicalType(column.type) { duckdb_bind_add_result_column(info, column.name, $0) }
        }
        let state = Unmanaged.passRetained(TableFunctionState(result) as AnyObject).toOpaque()
        duckdb_bind_set_bind_data(info, state, releaseBox)
    } catch let error as DuckDBError {
        duckdb_bind_set_error(info, error.message)
    } catch {
        duckdb_bind_set_error(info, "\(error)")
    }
}

private func tableFunctionInit(_ info: duckdb_init_info?) {
    // Rows come from one Swift producer, so one thread pulls them.
    duckdb_init_set_max_threads(info, 1)
}

private func tableFunctionProduce(_ info: duckdb_function_info?, _ output: duckdb_data_chunk?) {
    let state = Unmanaged<AnyObject>.fromOpaque(duckdb_function_get_bind_data(info)!).takeUnretainedValue() as! TableFunctionState
    let chunk = DataChunk(handle: output!, owned: false)
    var count = 0
    do {
        if let fill = state.result.fill {
            count = try fill(chunk)
            guard (0...DataChunk.capacity).contains(count) else {
                throw DuckDBError.misuse("a chunk was filled with \(count) rows; it holds at most \(DataChunk.capacity)")
            }
        }
        while let next = state.result.next, count < DataChunk.capacity, let row = try next() {
            guard row.count == state.width else {
                throw DuckDBError.misuse("a row has \(row.count) values for \(state.width) columns")
            }
            for (column, value) in row.enumerated() { try chunk.columns[column].set(value, at: count) }
            count += 1
        }
        chunk.count = count
    } catch let error as DuckDBError {
        duckdb_function_set_error(info, error.message)
    } catch {
        duckdb_function_set_error(info, "\(error)")
    }
}
