/// How incoming values fit a table's columns: new columns appear as data brings them, a value
/// that does not fit its column goes to a variant column `<column>__v_<type>`, and a bigint
/// column widens when a float (to double) or an integer beyond 64 bits (to `wei`) arrives.
public struct SchemaEvolution: Sendable {
    public init() {}

    /// Places `value` for `column` in `table`, updating `table` when its schema has to change.
    /// Returns nil for a null value in a column that does not exist yet: a column seen only as
    /// null is not created until a typed value comes.
    public func place(_ value: IngestValue, column: String, in table: inout TableSchema) -> ValuePlacement? {
        guard let type = value.inferredType else {
            return table.column(named: column) == nil ? nil : ValuePlacement(column: column, value: .null, change: nil)
        }
        guard let existing = table.column(named: column) else {
            let added = ColumnSchema(name: column, dataType: type)
            table.add(added)
            return ValuePlacement(column: column, value: coerce(value, to: type) ?? value,
                                  change: .addColumn(table: table.name, column: added), columnSchema: added)
        }
        if let coerced = coerce(value, to: existing.dataType) {
            return ValuePlacement(column: column, value: coerced, change: nil, columnSchema: existing)
        }
        if existing.dataType == .bigint, type == .double || type == .wei {
            table.setType(type, ofColumn: column)
            return ValuePlacement(column: column, value: coerce(value, to: type) ?? value,
                                  change: .widenColumn(table: table.name, column: column, from: .bigint, to: type))
        }
        let variantName = column + "__v_" + type.rawValue
        if table.column(named: variantName) != nil {
            return ValuePlacement(column: variantName, value: coerce(value, to: type) ?? value, change: nil)
        }
        let variant = ColumnSchema(name: variantName, dataType: type, variant: true)
        table.add(variant)
        return ValuePlacement(column: variantName, value: coerce(value, to: type) ?? value,
                              change: .addColumn(table: table.name, column: variant))
    }

    /// The value converted to `type` without loss, or nil when it does not fit.
    public func coerce(_ value: IngestValue, to type: DataType) -> IngestValue? {
        switch (type, value) {
        case (_, .null): return .null
        case (.text, .string), (.bigint, .int), (.double, .double), (.bool, .bool), (.binary, .binary),
             (.date, .date), (.time, .time), (.timestamp, .timestamp), (.json, .object), (.json, .array):
            return value
        case (.text, .int(let v)): return .string(String(v))
        case (.text, .double(let v)): return .string(String(v))
        case (.text, .bool(let v)): return .string(v ? "true" : "false")
        case (.text, .decimal(let v)), (.text, .bigInteger(let v)): return .string(v)
        case (.double, .int(let v)): return .double(Double(v))
        case (.decimal, .decimal), (.wei, .decimal): return value
        case (.decimal, .int(let v)), (.wei, .int(let v)): return .decimal(String(v))
        case (.wei, .bigInteger(let digits)):
            return IngestValue.fitsWei(digits) ? .decimal(digits) : nil
        case (.decimal, .bigInteger(let digits)):
            // DECIMAL(38,9) keeps 29 digits before the point.
            return digits.utf8.count - (digits.hasPrefix("-") ? 1 : 0) <= 29 ? .decimal(digits) : nil
        case (.timestamp, .string(let text)): return ISO8601Timestamp.parse(text).map(IngestValue.timestamp)
        case (.bigint, .double(let v)):
            // A whole float (3.0) still fits a bigint column; 3.5 widens the column instead.
            guard v.rounded() == v, let exact = Int64(exactly: v) else { return nil }
            return .int(exact)
        default: return nil
        }
    }
}
