import Foundation

/// A Swift type that converts to and from `DuckDBValue`: statement parameters, appended values,
/// `Row.get`.
public protocol DuckDBValueConvertible {
    var duckDBValue: DuckDBValue { get }
    init(duckDBValue: DuckDBValue) throws
}

func conversionError<T>(_ value: DuckDBValue, _: T.Type) -> DuckDBError {
    DuckDBError(.conversion, message: "cannot convert \(value) (\(value.inferredType)) to \(T.self)")
}

extension DuckDBValue: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { self }
    public init(duckDBValue: DuckDBValue) { self = duckDBValue }
}

extension Bool: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .boolean(self) }
    public init(duckDBValue value: DuckDBValue) throws {
        guard let v = value.bool else { throw conversionError(value, Self.self) }
        self = v
    }
}

extension FixedWidthInteger {
    init(integer value: DuckDBValue) throws {
        switch value {
        case .hugeint(let v): if let x = Self(exactly: v) { self = x; return }
        case .uhugeint(let v): if let x = Self(exactly: v) { self = x; return }
        case .ubigint(let v): if let x = Self(exactly: v) { self = x; return }
        case .decimal(let d) where d.scale == 0: if let x = Self(exactly: d.value) { self = x; return }
        default: if let v = value.int64, let x = Self(exactly: v) { self = x; return }
        }
        throw conversionError(value, Self.self)
    }
}

extension Int: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .bigint(Int64(self)) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension Int8: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .tinyint(self) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension Int16: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .smallint(self) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension Int32: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .integer(self) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension Int64: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .bigint(self) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension Int128: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .hugeint(self) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension UInt: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .ubigint(UInt64(self)) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension UInt8: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .utinyint(self) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension UInt16: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .usmallint(self) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension UInt32: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .uinteger(self) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension UInt64: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .ubigint(self) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension UInt128: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .uhugeint(self) }
    public init(duckDBValue value: DuckDBValue) throws { try self.init(integer: value) }
}

extension Double: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .double(self) }
    public init(duckDBValue value: DuckDBValue) throws {
        guard let v = value.double else { throw conversionError(value, Self.self) }
        self = v
    }
}

extension Float: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .float(self) }
    public init(duckDBValue value: DuckDBValue) throws {
        guard let v = value.double else { throw conversionError(value, Self.self) }
        self = Float(v)
    }
}

extension String: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .varchar(self) }
    public init(duckDBValue value: DuckDBValue) throws {
        switch value {
        case .varchar(let v), .json(let v), .enumeration(let v): self = v
        case .null, .blob, .list, .array, .structure, .map: throw conversionError(value, Self.self)
        default: self = value.description
        }
    }
}

extension Data: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .blob(self) }
    public init(duckDBValue value: DuckDBValue) throws {
        switch value {
        case .blob(let v): self = v
        case .varchar(let v): self = Data(v.utf8)
        default: throw conversionError(value, Self.self)
        }
    }
}

/// A Foundation `Date` is an instant: it is bound as TIMESTAMPTZ and read from any timestamp.
extension Date: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .timestampTZ(DuckDBTimestamp(self)) }
    public init(duckDBValue value: DuckDBValue) throws {
        switch value {
        case .timestamp(let v), .timestampTZ(let v): self = v.date
        case .timestampNanoseconds(let v): self = Date(timeIntervalSince1970: Double(v) / 1e9)
        case .date(let v): self = Date(timeIntervalSince1970: Double(v.days) * 86400)
        default: throw conversionError(value, Self.self)
        }
    }
}

extension UUID: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .uuid(self) }
    public init(duckDBValue value: DuckDBValue) throws {
        switch value {
        case .uuid(let v): self = v
        case .varchar(let v): guard let u = UUID(uuidString: v) else { throw conversionError(value, Self.self) }
            self = u
        default: throw conversionError(value, Self.self)
        }
    }
}

/// Foundation's `Decimal` is bound as an exact DECIMAL of the width and scale it needs.
extension Decimal: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue {
        (try? DuckDBDecimal(self)).map(DuckDBValue.decimal) ?? .double(NSDecimalNumber(decimal: self).doubleValue)
    }
    public init(duckDBValue value: DuckDBValue) throws {
        switch value {
        case .decimal(let d): self = d.decimal
        case .double, .float: self = Decimal(value.double!)
        default:
            guard let v = value.int64 else { throw conversionError(value, Self.self) }
            self = Decimal(v)
        }
    }
}

extension DuckDBDate: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .date(self) }
    public init(duckDBValue value: DuckDBValue) throws {
        guard case .date(let v) = value else { throw conversionError(value, Self.self) }
        self = v
    }
}

extension DuckDBTime: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .time(self) }
    public init(duckDBValue value: DuckDBValue) throws {
        guard case .time(let v) = value else { throw conversionError(value, Self.self) }
        self = v
    }
}

/// A `DuckDBTimestamp` is bound as TIMESTAMP (without time zone).
extension DuckDBTimestamp: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .timestamp(self) }
    public init(duckDBValue value: DuckDBValue) throws {
        switch value {
        case .timestamp(let v), .timestampTZ(let v): self = v
        default: throw conversionError(value, Self.self)
        }
    }
}

extension DuckDBInterval: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .interval(self) }
    public init(duckDBValue value: DuckDBValue) throws {
        guard case .interval(let v) = value else { throw conversionError(value, Self.self) }
        self = v
    }
}

extension DuckDBDecimal: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .decimal(self) }
    public init(duckDBValue value: DuckDBValue) throws {
        guard case .decimal(let v) = value else { throw conversionError(value, Self.self) }
        self = v
    }
}

extension Optional: DuckDBValueConvertible where Wrapped: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { self?.duckDBValue ?? .null }
    public init(duckDBValue value: DuckDBValue) throws {
        self = value.isNull ? nil : try Wrapped(duckDBValue: value)
    }
}

extension Array: DuckDBValueConvertible where Element: DuckDBValueConvertible {
    public var duckDBValue: DuckDBValue { .list(map(\.duckDBValue)) }
    public init(duckDBValue value: DuckDBValue) throws {
        switch value {
        case .list(let items), .array(let items): self = try items.map(Element.init(duckDBValue:))
        default: throw conversionError(value, Self.self)
        }
    }
}

extension Dictionary: DuckDBValueConvertible where Key: DuckDBValueConvertible, Value: DuckDBValueConvertible {
    /// Bound as a MAP with keys in sorted textual order, so equal dictionaries bind equally.
    public var duckDBValue: DuckDBValue {
        .map(map { DuckDBMapEntry($0.key.duckDBValue, $0.value.duckDBValue) }.sorted { $0.key.description < $1.key.description })
    }
    public init(duckDBValue value: DuckDBValue) throws {
        guard case .map(let entries) = value else { throw conversionError(value, Self.self) }
        self = try Dictionary(entries.map { (try Key(duckDBValue: $0.key), try Value(duckDBValue: $0.value)) }, uniquingKeysWith: { _, last in last })
    }
}
