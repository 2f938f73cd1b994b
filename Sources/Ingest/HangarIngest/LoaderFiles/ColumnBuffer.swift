import DuckDB
import Foundation

/// The values of one column of a table batch, stored by type rather than as a value per cell.
public enum ColumnBuffer: Sendable, Equatable {
    case bigint([Int64?])
    case double([Double?])
    case bool([Bool?])
    /// Text in one buffer rather than a `String` per value: no allocation or reference count
    /// per value as rows are normalized, and DuckDB copies straight from it.
    case text(UTF8Column)
    /// UTC microseconds since the epoch.
    case timestamp([Int64?])
    /// Days since 1970-01-01.
    case date([Int32?])
    /// Microseconds since midnight.
    case time([Int64?])
    /// Exact decimals in plain notation ("12.50"); `wei` columns use this too.
    case decimal([String?])
    /// JSON documents as text.
    case json([String?])
    case binary([Data?])

    public static func empty(_ type: DataType) -> ColumnBuffer {
        switch type {
        case .bigint: .bigint([])
        case .double: .double([])
        case .bool: .bool([])
        case .text: .text(UTF8Column())
        case .timestamp: .timestamp([])
        case .date: .date([])
        case .time: .time([])
        case .decimal, .wei: .decimal([])
        case .json: .json([])
        case .binary: .binary([])
        }
    }

    public var count: Int {
        switch self {
        case .bigint(let v): v.count
        case .double(let v): v.count
        case .bool(let v): v.count
        case .text(let v): v.count
        case .timestamp(let v): v.count
        case .date(let v): v.count
        case .time(let v): v.count
        case .decimal(let v): v.count
        case .json(let v): v.count
        case .binary(let v): v.count
        }
    }
}

/// Rows of one table, column by column, with the schema of each column: what the normalizer
/// hands to a loader-file writer. Every column has `rowCount` values.
public struct TableBatch: Sendable {
    public let table: String
    public let columns: [ColumnSchema]
    public let buffers: [ColumnBuffer]
    public let rowCount: Int

    public init(table: String, columns: [ColumnSchema], buffers: [ColumnBuffer]) {
        precondition(columns.count == buffers.count, "one buffer per column")
        self.table = table
        self.columns = columns
        self.buffers = buffers
        rowCount = buffers.first?.count ?? 0
    }
}

extension ColumnBuffer {
    /// Keeps the first `count` values, in place (the case is emptied first so that its array
    /// is uniquely held and shrinks without a copy).
    mutating func truncate(to count: Int) {
        let drop = self.count - count
        guard drop > 0 else { return }
        switch self {
        case .bigint(var v): self = .bigint([]); v.removeLast(drop); self = .bigint(v)
        case .double(var v): self = .double([]); v.removeLast(drop); self = .double(v)
        case .bool(var v): self = .bool([]); v.removeLast(drop); self = .bool(v)
        case .text(var v): self = .text(UTF8Column()); v.removeLast(drop); self = .text(v)
        case .timestamp(var v): self = .timestamp([]); v.removeLast(drop); self = .timestamp(v)
        case .date(var v): self = .date([]); v.removeLast(drop); self = .date(v)
        case .time(var v): self = .time([]); v.removeLast(drop); self = .time(v)
        case .decimal(var v): self = .decimal([]); v.removeLast(drop); self = .decimal(v)
        case .json(var v): self = .json([]); v.removeLast(drop); self = .json(v)
        case .binary(var v): self = .binary([]); v.removeLast(drop); self = .binary(v)
        }
    }
}
