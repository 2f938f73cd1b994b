import DuckDB
import Foundation

/// Rows of one table being normalized, held column by column until a batch is handed to a
/// loader-file writer. Columns can appear mid-batch (earlier rows get nulls) and a bigint column
/// can widen to double or to `wei`.
struct TableBuffer {
    let table: String
    private(set) var columns: [ColumnSchema] = []
    private var buffers: [ColumnBuffer] = []
    /// Text columns' values, held here rather than in `buffers` (which keeps an empty `.text`
    /// for them) so that appending mutates the column where it is: taking it out of the enum
    /// and putting it back cost a retain and a release of each of its arrays per value.
    private var texts: [UTF8Column] = []
    /// Per column: the type its buffer holds, and how many values it holds. Kept beside the
    /// buffers so that the per-value checks read plain integers instead of the buffer enum.
    private var types: [DataType] = []
    private var counts: [Int] = []
    private var positions: [String: Int] = [:]
    private(set) var rowCount = 0

    init(table: String) {
        self.table = table
    }

    /// Appends `value` for `column` in the current row. The value must already fit the column's
    /// type (the schema evolution placed and coerced it).
    mutating func set(_ value: IngestValue, column: ColumnSchema) {
        let index: Int
        if let existing = positions[column.name] {
            index = existing
            if columns[index].dataType != column.dataType { widen(index, to: column) }
        } else {
            index = columns.count
            positions[column.name] = index
            columns.append(column)
            buffers.append(.empty(column.dataType))
            texts.append(UTF8Column())
            types.append(column.dataType)
            counts.append(0)
            padWithNulls(index, to: rowCount)
        }
        if counts[index] > rowCount {
            // Set twice in one row (a key with `__` beside a nested object with that path, or a
            // repeated key): the last non-null value stays, so a null never hides a value.
            if case .null = value { return }
            dropCurrentValue(at: index)
        }
        append(value, at: index)
    }

    /// Whether the current row already holds a non-null value for `column`.
    func hasValueInCurrentRow(_ column: String) -> Bool {
        currentValue(of: column) != nil
    }

    private mutating func dropCurrentValue(at index: Int) {
        if types[index] == .text { texts[index].removeLast(1) } else { buffers[index].truncate(to: rowCount) }
        counts[index] = rowCount
    }

    /// The position of a column, stable until `restore` drops columns.
    func index(of name: String) -> Int? { positions[name] }

    var columnCount: Int { columns.count }

    /// The type the buffer of column `index` holds.
    func type(at index: Int) -> DataType { types[index] }

    /// Appends `value` at column `index` when its kind is exactly what the column stores (or it
    /// is null), returning false — and appending nothing — for anything that needs the schema's
    /// judgement (coercion, widening, variants). The fast path for rows shaped like the last.
    @inline(__always)
    mutating func appendExact(_ value: IngestValue, at index: Int) -> Bool {
        // Set already in this row: a null changes nothing, a value is the schema's judgement (`set`).
        guard counts[index] == rowCount else { return value == .null }
        let type = types[index]
        switch value {
        case .null:
            break
        case .int:
            guard type == .bigint || type == .double else { return false }
        case .double:
            guard type == .double else { return false }
        case .bool:
            guard type == .bool else { return false }
        case .timestamp:
            guard type == .timestamp else { return false }
        case .object, .array:
            // Nested data beyond the nesting limit, kept as JSON text.
            guard type == .json else { return false }
        case .string(let text):
            if type == .timestamp {
                // ISO-8601 text in a timestamp column, as sources send them: the coercion the
                // schema evolution would make, without its lookups (text that does not parse
                // takes the slow path to its variant column).
                guard let micros = ISO8601Timestamp.parse(text) else { return false }
                append(.timestamp(micros), at: index)
                return true
            }
            guard type == .text else { return false }
        default:
            return false
        }
        append(value, at: index)
        return true
    }

    /// `appendExact` for a string value of a text column, given as its bytes (valid UTF-8) where
    /// they lie: no `String` is made of them.
    @inline(__always)
    mutating func appendExactText(validUTF8 utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard counts[index] == rowCount else { return false }  // set already in this row: see `set`
        guard types[index] == .text else { return false }
        texts[index].append(validUTF8: utf8)
        counts[index] += 1
        return true
    }

    /// The non-null value the current row set for `column`, nil when it set none (or NULL).
    func currentValue(of column: String) -> IngestValue? {
        guard let index = positions[column], counts[index] > rowCount else { return nil }
        switch buffers[index] {
        case .bigint(let v): return v[rowCount].map(IngestValue.int)
        case .double(let v): return v[rowCount].map(IngestValue.double)
        case .bool(let v): return v[rowCount].map(IngestValue.bool)
        case .text: return texts[index][rowCount].map(IngestValue.string)
        case .timestamp(let v): return v[rowCount].map(IngestValue.timestamp)
        case .date(let v): return v[rowCount].map(IngestValue.date)
        case .time(let v): return v[rowCount].map(IngestValue.time)
        case .decimal(let v): return v[rowCount].map(IngestValue.decimal)
        case .json(let v): return v[rowCount].map { (try? JSONReader.value(from: Data($0.utf8))) ?? .string($0) }
        case .binary(let v): return v[rowCount].map(IngestValue.binary)
        }
    }

    /// `currentValue(of:)` for a buffer held in a class: a mutating call works on the buffer in
    /// place, where a non-mutating one copies it (retaining every column) first.
    mutating func currentValueInPlace(of column: String) -> IngestValue? { currentValue(of: column) }

    /// A digest of the current row's values (its data columns, by name, NULL left out), the
    /// `_dlt_id` of scd2 rows: equal rows get equal ids whatever the order of their keys, and a
    /// column that appears later, NULL in old rows, does not change old rows' ids.
    func currentRowDigest() -> String {
        var parts: [String] = []
        for column in columns where !column.name.hasPrefix("_dlt_") {
            guard let value = currentValue(of: column.name) else { continue }
            parts.append(column.name + "=" + JSONText.encode(value))
        }
        return StableHash.base64Digest(of: parts.sorted().joined(separator: "\u{1F}"), bytes: 10)
    }

    /// Closes the current row: columns it did not set get NULL.
    mutating func endRow() {
        rowCount += 1
        for index in counts.indices where counts[index] < rowCount {
            append(.null, at: index)
        }
    }

    /// The buffered rows as a batch, emptying the buffer (columns are kept for the next batch).
    mutating func takeBatch() -> TableBatch {
        for index in texts.indices where types[index] == .text {
            buffers[index] = .text(texts[index])
            texts[index] = UTF8Column()
        }
        let batch = TableBatch(table: table, columns: columns, buffers: buffers)
        buffers = columns.map { .empty($0.dataType) }
        counts = Array(repeating: 0, count: columns.count)
        rowCount = 0
        return batch
    }

    /// Drops the values the current row has set so far (it added no columns).
    mutating func discardCurrentRow() {
        for index in counts.indices where counts[index] > rowCount {
            if types[index] == .text { texts[index].removeLast(counts[index] - rowCount) } else { buffers[index].truncate(to: rowCount) }
            counts[index] = rowCount
        }
    }

    /// Drops rows and columns added since the buffer held `rowCount` rows and `columnCount` columns.
    mutating func restore(rowCount: Int, columnCount: Int) {
        while columns.count > columnCount {
            positions[columns.removeLast().name] = nil
            buffers.removeLast()
            texts.removeLast()
            types.removeLast()
            counts.removeLast()
        }
        for index in buffers.indices {
            if types[index] == .text {
                texts[index].removeLast(texts[index].count - rowCount)
                counts[index] = texts[index].count
            } else {
                buffers[index].truncate(to: rowCount)
                counts[index] = buffers[index].count
            }
        }
        self.rowCount = rowCount
    }

    /// Bytes this buffer roughly holds, to decide when to hand a batch over.
    var estimatedBytes: Int { rowCount * max(columns.count, 1) * 16 }

    private mutating func padWithNulls(_ index: Int, to count: Int) {
        while counts[index] < count { append(.null, at: index) }
    }

    private mutating func widen(_ index: Int, to column: ColumnSchema) {
        columns[index] = column
        guard case .bigint(let values) = buffers[index] else { return }
        switch column.dataType {
        case .double:
            buffers[index] = .double(values.map { $0.map(Double.init) })
        case .wei:
            buffers[index] = .decimal(values.map { $0.map { String($0) } })
        default:
            return
        }
        types[index] = column.dataType
    }

    @inline(__always)
    private mutating func append(_ value: IngestValue, at index: Int) {
        if types[index] == .text {
            if case .string(let text) = value { texts[index].append(text) } else { texts[index].appendNull() }
        } else {
            Self.append(value, to: &buffers[index])
        }
        counts[index] += 1
    }

    private static func append(_ value: IngestValue, to buffer: inout ColumnBuffer) {
        switch buffer {
        case .bigint(var v):
            buffer = .bigint([])
            if case .int(let x) = value { v.append(x) } else { v.append(nil) }
            buffer = .bigint(v)
        case .double(var v):
            buffer = .double([])
            switch value {
            case .double(let x): v.append(x)
            case .int(let x): v.append(Double(x))
            default: v.append(nil)
            }
            buffer = .double(v)
        case .bool(var v):
            buffer = .bool([])
            if case .bool(let x) = value { v.append(x) } else { v.append(nil) }
            buffer = .bool(v)
        case .text(var v):
            buffer = .text(UTF8Column())
            if case .string(let x) = value { v.append(x) } else { v.appendNull() }
            buffer = .text(v)
        case .timestamp(var v):
            buffer = .timestamp([])
            if case .timestamp(let x) = value { v.append(x) } else { v.append(nil) }
            buffer = .timestamp(v)
        case .date(var v):
            buffer = .date([])
            if case .date(let x) = value { v.append(x) } else { v.append(nil) }
            buffer = .date(v)
        case .time(var v):
            buffer = .time([])
            if case .time(let x) = value { v.append(x) } else { v.append(nil) }
            buffer = .time(v)
        case .decimal(var v):
            buffer = .decimal([])
            if case .decimal(let x) = value { v.append(x) } else { v.append(nil) }
            buffer = .decimal(v)
        case .json(var v):
            buffer = .json([])
            switch value {
            case .null: v.append(nil)
            default: v.append(JSONText.encode(value))
            }
            buffer = .json(v)
        case .binary(var v):
            buffer = .binary([])
            if case .binary(let x) = value { v.append(x) } else { v.append(nil) }
            buffer = .binary(v)
        }
    }
}
