import CDuckDB

/// A scalar function written in Swift: `SELECT name(a, b) FROM t`.
///
/// `body` is called once per row with non-NULL arguments (a NULL argument gives a NULL result
/// without a call) and may run on several DuckDB threads at once. A thrown error fails the query
/// with its message.
public struct ScalarFunction: Sendable {
    public let name: String
    public let parameters: [DuckDBType]
    public let returnType: DuckDBType
    /// False for functions whose result changes between calls with the same arguments.
    public let deterministic: Bool
    let body: @Sendable ([DuckDBValue]) throws -> DuckDBValue

    public init(name: String, parameters: [DuckDBType], returns returnType: DuckDBType, deterministic: Bool = true,
                body: @escaping @Sendable ([DuckDBValue]) throws -> DuckDBValue) {
        self.name = name
        self.parameters = parameters
        self.returnType = returnType
        self.deterministic = deterministic
        self.body = body
    }
}

private final class ScalarFunctionBox {
    let function: ScalarFunction
    init(_ function: ScalarFunction) { self.function = function }
}

extension Connection {
    /// Registers a scalar function on this connection's database.
    public func register(_ function: ScalarFunction) throws {
        var raw: duckdb_scalar_function? = duckdb_create_scalar_function()
        defer { duckdb_destroy_scalar_function(&raw) }
        duckdb_scalar_function_set_name(raw, function.name)
        for parameter in function.parameters {
            withLogicalType(parameter) { duckdb_scalar_function_add_parameter(raw, $0) }
        }
        withLogicalType(function.returnType) { duckdb_scalar_function_set_return_type(raw, $0) }
        if !function.deterministic { duckdb_scalar_function_set_volatile(raw) }
        let box = Unmanaged.passRetained(ScalarFunctionBox(function)).toOpaque()
        duckdb_scalar_function_set_extra_info(raw, box) { pointer in
            pointer.map { Unmanaged<ScalarFunctionBox>.fromOpaque($0).release() }
        }
        duckdb_scalar_function_set_function(raw, scalarFunctionCall)
        guard duckdb_register_scalar_function(handle.raw, raw) == DuckDBSuccess else {
            throw DuckDBError(.catalog, message: "could not register scalar function \(function.name): the name or signature may be taken")
        }
    }
}

private func scalarFunctionCall(_ info: duckdb_function_info?, _ input: duckdb_data_chunk?, _ output: duckdb_vector?) {
    let function = Unmanaged<ScalarFunctionBox>.fromOpaque(duckdb_scalar_function_get_extra_info(info)!).takeUnretainedValue().function
    let arguments = DataChunk(handle: input!, owned: false)
    let result = Vector(output!)
    do {
        for row in 0..<arguments.count {
            let values = arguments.columns.map { $0.value(at: row) }
            if values.contains(where: \.isNull) {
                result.setNull(row)
            } else {
                try result.set(try function.body(values), at: row)
            }
        }
    } catch let error as DuckDBError {
        duckdb_scalar_function_set_error(info, error.message)
    } catch {
        duckdb_scalar_function_set_error(info, "\(error)")
    }
}
