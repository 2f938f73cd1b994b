import DuckDB
import Foundation
import HangarFlights

/// An error of the `MD_*` functions, in the words the SQL caller reads after DuckDB's
/// "Invalid Input Error: ": the function, then what was wrong with which parameter.
struct FlightsSQLError: Error, CustomStringConvertible {
    let description: String

    init(_ function: String, _ message: String) {
        description = "\(function): \(message)"
    }

    /// The platform's message, which names the parameter at fault; when its words don't, the
    /// parameter goes in front.
    init(_ function: String, _ error: FlightsError) {
        if let parameter = error.parameter, !error.message.contains(parameter) {
            self.init(function, "\(parameter): \(error.message)")
        } else {
            self.init(function, error.message)
        }
    }
}

/// The named arguments of one `MD_*` call, read as the platform API takes them. A parameter the
/// caller left out is `.keep`, an explicit NULL `.null` (so an update can tell the two apart).
/// Values arrive already cast by DuckDB to the declared parameter types, and constant-folded:
/// `array_to_string([...], chr(10))` and `getvariable('id')` come as plain values.
struct FlightsSQLCall {
    let function: String
    let arguments: TableFunctionArguments

    func fail(_ message: String) -> FlightsSQLError {
        FlightsSQLError(function, message)
    }

    /// `flight_id`, required: the flight's UUID.
    func flight() throws -> FlightSelector {
        switch arguments["flight_id"] {
        case .uuid(let id)?: return .id(id)
        // Declared VARCHAR (a UUID value arrives as its text), so that a wrong value is refused
        // here, naming the parameter, rather than by DuckDB's cast.
        case .varchar(let text)? where UUID(uuidString: text.trimmingCharacters(in: .whitespaces)) != nil:
            return .id(UUID(uuidString: text.trimmingCharacters(in: .whitespaces))!)
        case .varchar(let text)?:
            throw fail("""
                flight_id must be a flight's id (a UUID), not \(String(reflecting: text)); find it with \
                SET VARIABLE my_flight_id = (SELECT flight_id FROM MD_LIST_FLIGHTS() WHERE flight_name = '…') and pass \
                flight_id := getvariable('my_flight_id')
                """)
        case nil, .null?:
            throw fail("""
                flight_id is required: pass the flight's UUID, e.g. flight_id := getvariable('my_flight_id') after \
                SET VARIABLE my_flight_id = (SELECT flight_id FROM MD_LIST_FLIGHTS() WHERE flight_name = '…')
                """)
        case let other?:
            throw fail("flight_id must be a UUID, not \(other)")
        }
    }

    /// A required positive integer such as `run_number`; the platform checks its range.
    func requiredInt(_ name: String) throws -> Int {
        guard case .set(let value) = try int(name) else {
            throw fail("\(name) is required")
        }
        return value
    }

    func text(_ name: String) -> PatchValue<String> {
        switch arguments[name] {
        case nil: .keep
        case .null?: .null
        case let value?: .set(value.string ?? value.description)
        }
    }

    func int(_ name: String) throws -> PatchValue<Int> {
        switch arguments[name] {
        case nil: return .keep
        case .null?: return .null
        case let value?:
            guard let number = value.int64.flatMap({ Int(exactly: $0) }) else {
                throw fail("\(name) must be an integer, not \(value)")
            }
            return .set(number)
        }
    }

    /// A paging argument: left out and NULL both mean the default.
    func page(_ name: String) throws -> Int? {
        if case .set(let value) = try int(name) { return value }
        return nil
    }

    func bool(_ name: String) -> Bool? {
        arguments[name]?.bool
    }

    /// A MAP(VARCHAR, VARCHAR) such as `config := MAP {'REPOS': 'duckdb/duckdb'}`.
    func map(_ name: String) throws -> PatchValue<[String: String]> {
        switch arguments[name] {
        case nil: return .keep
        case .null?: return .null
        case .map(let entries)?:
            var map: [String: String] = [:]
            for entry in entries {
                guard let key = entry.key.string else { throw fail("\(name) keys must be strings, not \(entry.key)") }
                guard let value = entry.value.string else {
                    throw fail("\(name) has a NULL value for key \"\(key)\"; leave the key out instead")
                }
                map[key] = value
            }
            return .set(map)
        case let other?:
            throw fail("\(name) must be a MAP(VARCHAR, VARCHAR) such as MAP {'KEY': 'value'}, not \(other)")
        }
    }

    /// A VARCHAR[] such as `flight_secret_names := ['github']`.
    func texts(_ name: String) throws -> PatchValue<[String]> {
        switch arguments[name] {
        case nil: return .keep
        case .null?: return .null
        case .list(let items)?, .array(let items)?:
            return .set(try items.map { item in
                guard let text = item.string else { throw fail("\(name) must not contain NULL") }
                return text
            })
        case let other?:
            throw fail("\(name) must be a VARCHAR[] such as ['my_secret'], not \(other)")
        }
    }

    func runtime() throws -> PatchValue<FlightRuntime> {
        switch text("runtime") {
        case .keep: .keep
        case .null: .null
        case .set(let text): .set(try FlightRuntime(parsing: text))
        }
    }
}

extension PatchValue {
    /// The value for a field that has no "keep" (a new flight): left out and NULL are both nil.
    var value: Value? {
        if case .set(let value) = self { return value }
        return nil
    }
}
