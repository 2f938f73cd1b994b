import Foundation

extension IngestValue {
    /// The value as pipeline state keeps it: JSON. Timestamps become ISO-8601 strings and dates
    /// `YYYY-MM-DD`, which cursor comparisons read back as instants and days.
    var stateValue: StateValue {
        switch self {
        case .null: .null
        case .bool(let v): .bool(v)
        case .int(let v): .int(v)
        case .double(let v): .double(v)
        case .string(let v), .decimal(let v), .bigInteger(let v): .string(v)
        case .date(let v): .string(ISO8601Timestamp.formatDate(v))
        case .time(let v):
            .string(String(format: "%02d:%02d:%02d.%06d", v / 3_600_000_000, v / 60_000_000 % 60, v / 1_000_000 % 60, v % 1_000_000))
        case .timestamp(let v): .string(ISO8601Timestamp.format(v))
        case .binary(let v): .string(v.base64EncodedString())
        case .object(let fields): .object(Dictionary(fields.map { ($0.key, $0.value.stateValue) }, uniquingKeysWith: { _, last in last }))
        case .array(let items): .array(items.map(\.stateValue))
        }
    }
}

extension StateValue {
    /// The state value as row data.
    var ingestValue: IngestValue {
        switch self {
        case .null: .null
        case .bool(let v): .bool(v)
        case .int(let v): .int(v)
        case .double(let v): .double(v)
        case .string(let v): .string(v)
        case .array(let items): .array(items.map(\.ingestValue))
        case .object(let fields): .object(fields.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value.ingestValue) })
        }
    }
}
