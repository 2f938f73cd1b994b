import Foundation

/// The values of one column of a table batch, stored by type rather than as a value per cell.
public enum ColumnBuffer: Sendable, Equatable {
    case bigint([Int64?])
    case double([Double?])
    case bool([Bool?])
    case text([String?])
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
        case .text: .text([])
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
    /// Drops the last value (emptying the case first, so that the array is changed in place).
    mutating func removeLast() {
        switch self {
        case .bigint(var v): self = .bigint([]); v.removeLast(); self = .bigint(v)
        case .double(var v): self = .double([]); v.removeLast(); self = .double(v)
        case .bool(var v): self = .bool([]); v.removeLast(); self = .bool(v)
        case .text(var v): self = .text([]); v.removeLast(); self = .text(v)
        case .timestamp(var v): self = .timestamp([]); v.removeLast(); self = .timestamp(v)
        case .date(var v): self = .date([]); v.removeLast(); self = .date(v)
        case .time(var v): self = .time([]); v.removeLast(); self = .time(v)
        case .decimal(var v): self = .decimal([]); v.removeLast(); self = .decimal(v)
        case .json(var v): self = .json([]); v.removeLast(); self = .json(v)
        case .binary(var v): self = .binary([]); v.removeLast(); self = .binary(v)
        }
    }

    /// Keeps the first `count` values.
    mutating func truncate(to count: Int) {
        guard self.count > count else { return }
        switch self {
        case .bigint(let v): self = .bigint(Array(v.prefix(count)))
        case .double(let v): self = .double(Array(v.prefix(count)))
        case .bool(let v): self = .bool(Array(v.prefix(count)))
        case .text(let v): self = .text(Array(v.prefix(count)))
        case .timestamp(let v): self = .timestamp(Array(v.prefix(count)))
        case .date(let v): self = .date(Array(v.prefix(count)))
        case .time(let v): self = .time(Array(v.prefix(count)))
        case .decimal(let v): self = .decimal(Array(v.prefix(count)))
        case .json(let v): self = .json(Array(v.prefix(count)))
        case .binary(let v): self = .binary(Array(v.prefix(count)))
        }
    }
}
