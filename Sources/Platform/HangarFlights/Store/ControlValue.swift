import Foundation

/// A value as the control store holds it. SQLite has no BOOLEAN (it stores 0 and 1); PostgreSQL
/// does, so `boolean` is kept apart and converted where a store needs it.
public enum ControlValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
    case boolean(Bool)
}

/// A Swift value bound as a statement argument.
public protocol ControlArgument: Sendable {
    var controlValue: ControlValue { get }
}

extension String: ControlArgument { public var controlValue: ControlValue { .text(self) } }
extension Int: ControlArgument { public var controlValue: ControlValue { .integer(Int64(self)) } }
extension Int64: ControlArgument { public var controlValue: ControlValue { .integer(self) } }
extension Int32: ControlArgument { public var controlValue: ControlValue { .integer(Int64(self)) } }
extension Double: ControlArgument { public var controlValue: ControlValue { .real(self) } }
extension Bool: ControlArgument { public var controlValue: ControlValue { .boolean(self) } }
extension Data: ControlArgument { public var controlValue: ControlValue { .blob(self) } }
extension ControlValue: ControlArgument { public var controlValue: ControlValue { self } }

extension Optional where Wrapped == any ControlArgument {
    /// NULL for nil.
    public var controlValue: ControlValue { self?.controlValue ?? .null }
}

/// A Swift type a column's value is read as.
public protocol ControlColumnValue {
    /// nil for NULL; a value of another kind is a storage error naming the column.
    static func decode(_ value: ControlValue, column: String) throws(FlightsError) -> Self?
}

extension ControlColumnValue {
    static func mismatch(_ value: ControlValue, column: String) -> FlightsError {
        FlightsError(.storage, "the control store's column \(column) holds \(value.kindName), not \(Self.self)")
    }
}

extension ControlValue {
    var kindName: String {
        switch self {
        case .null: "NULL"
        case .integer: "an integer"
        case .real: "a real number"
        case .text: "text"
        case .blob: "a blob"
        case .boolean: "a boolean"
        }
    }
}

extension String: ControlColumnValue {
    public static func decode(_ value: ControlValue, column: String) throws(FlightsError) -> String? {
        switch value {
        case .null: nil
        case .text(let text): text
        default: throw mismatch(value, column: column)
        }
    }
}

extension Int64: ControlColumnValue {
    public static func decode(_ value: ControlValue, column: String) throws(FlightsError) -> Int64? {
        switch value {
        case .null: nil
        case .integer(let number): number
        case .boolean(let flag): flag ? 1 : 0
        default: throw mismatch(value, column: column)
        }
    }
}

extension Int: ControlColumnValue {
    public static func decode(_ value: ControlValue, column: String) throws(FlightsError) -> Int? {
        try Int64.decode(value, column: column).map { Int($0) }
    }
}

extension Int32: ControlColumnValue {
    public static func decode(_ value: ControlValue, column: String) throws(FlightsError) -> Int32? {
        guard let number = try Int64.decode(value, column: column) else { return nil }
        guard let narrow = Int32(exactly: number) else { throw mismatch(value, column: column) }
        return narrow
    }
}

extension Bool: ControlColumnValue {
    public static func decode(_ value: ControlValue, column: String) throws(FlightsError) -> Bool? {
        switch value {
        case .null: nil
        case .boolean(let flag): flag
        case .integer(let number): number != 0
        default: throw mismatch(value, column: column)
        }
    }
}

extension Double: ControlColumnValue {
    public static func decode(_ value: ControlValue, column: String) throws(FlightsError) -> Double? {
        switch value {
        case .null: nil
        case .real(let number): number
        case .integer(let number): Double(number)
        default: throw mismatch(value, column: column)
        }
    }
}

extension Data: ControlColumnValue {
    public static func decode(_ value: ControlValue, column: String) throws(FlightsError) -> Data? {
        switch value {
        case .null: nil
        case .blob(let data): data
        default: throw mismatch(value, column: column)
        }
    }
}

extension ControlValue: ControlColumnValue {
    public static func decode(_ value: ControlValue, column: String) throws(FlightsError) -> ControlValue? { value }
}
