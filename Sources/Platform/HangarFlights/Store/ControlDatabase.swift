import Foundation

/// One open transaction on a ``ControlStore``. Statements use `?` placeholders with their
/// arguments bound, never interpolated (arguments can be secret values).
public protocol ControlDatabase {
    var dialect: ControlDialect { get }
    func rows(_ sql: String, _ arguments: [(any ControlArgument)?]) throws -> [ControlRow]
    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [(any ControlArgument)?]) throws -> Int
}

extension ControlDatabase {
    public func rows(_ sql: String) throws -> [ControlRow] { try rows(sql, []) }

    public func row(_ sql: String, _ arguments: [(any ControlArgument)?] = []) throws -> ControlRow? {
        try rows(sql, arguments).first
    }

    /// The first column of the first row, nil when there is no row or it is NULL.
    public func value<Value: ControlColumnValue>(
        _ type: Value.Type, _ sql: String, _ arguments: [(any ControlArgument)?] = []
    ) throws -> Value? {
        guard let row = try row(sql, arguments), let first = row.values.first else { return nil }
        return try Value.decode(first, column: row.columns[0])
    }

    @discardableResult
    public func execute(_ sql: String) throws -> Int { try execute(sql, []) }
}
