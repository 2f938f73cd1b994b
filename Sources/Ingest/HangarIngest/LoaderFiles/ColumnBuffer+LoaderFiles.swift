import DuckDB
import Foundation

// What the loader-file writers need from a column buffer: a type check, size estimates for
// parquet's file-size limit, and the conversion to the binding's appender columns.
extension ColumnBuffer {
    /// Whether this buffer is the kind that holds values of `type`.
    func holds(_ type: DataType) -> Bool {
        switch (self, type) {
        case (.bigint, .bigint), (.double, .double), (.bool, .bool), (.text, .text), (.timestamp, .timestamp),
             (.date, .date), (.time, .time), (.decimal, .decimal), (.decimal, .wei), (.json, .json), (.binary, .binary):
            true
        default:
            false
        }
    }

    /// The in-memory size of `rows`, as DuckDB holds them: a fixed width per value, plus the
    /// bytes of variable-length values (16 being DuckDB's string header).
    func estimatedBytes(_ rows: Range<Int>) -> Int {
        switch self {
        case .bigint, .double, .timestamp, .time: 8 * rows.count
        case .bool: rows.count
        case .date: 4 * rows.count
        case .decimal: 16 * rows.count
        case .text(let v): 16 * rows.count + v.byteCount(of: rows)
        case .json(let v): v[rows].reduce(16 * rows.count) { $0 + ($1?.utf8.count ?? 0) }
        case .binary(let v): v[rows].reduce(16 * rows.count) { $0 + ($1?.count ?? 0) }
        }
    }

    /// The values of `rows` for `Appender.append(columns:)`, and the index in them of the first
    /// row. Columns stored as the appender takes them are shared whole rather than copied: a
    /// batch spans files, so its rows go in slices, and copying a slice retained (then released)
    /// every string in it. Decimals become exact at the column's scale (`DecimalText`); JSON is
    /// passed as text for the caller's column to check.
    func columnValues(_ rows: Range<Int>, column: ColumnSchema) throws -> (values: ColumnValues, first: Int) {
        switch self {
        case .bigint(let v): (.int64s(v), rows.lowerBound)
        case .double(let v): (.doubles(v), rows.lowerBound)
        case .bool(let v): (.booleans(v), rows.lowerBound)
        case .text(let v): (.utf8(v), rows.lowerBound)
        case .json(let v): (.strings(v), rows.lowerBound)
        case .timestamp(let v): (.timestamps(v[rows].map { $0.map(DuckDBTimestamp.init(microseconds:)) }), 0)
        case .date(let v): (.values(v[rows].map { $0.map { .date(DuckDBDate(days: $0)) } ?? .null }), 0)
        case .time(let v): (.values(v[rows].map { $0.map { .time(DuckDBTime(microseconds: $0)) } ?? .null }), 0)
        case .binary(let v): (.values(v[rows].map { $0.map(DuckDBValue.blob) ?? .null }), 0)
        case .decimal(let v):
            (try .values(v[rows].map { text in
                guard let text else { return .null }
                return .decimal(try DecimalText.decimal(text, scale: DecimalText.scale(of: column.dataType), column: column.name))
            }), 0)
        }
    }
}
