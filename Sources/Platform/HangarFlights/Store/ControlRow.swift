import Foundation

/// One result row, read by column name as GRDB's rows are: `let id: String = row["id"]`,
/// `row["ended_at"] as Int64?`. The control store's schema is the module's own, so a column
/// that is missing or of the wrong kind is a programming error and traps with its name.
public struct ControlRow: Sendable {
    public let columns: [String]
    public let values: [ControlValue]

    public init(columns: [String], values: [ControlValue]) {
        self.columns = columns
        self.values = values
    }

    public func value(_ column: String) -> ControlValue {
        guard let index = columns.firstIndex(of: column) else {
            preconditionFailure("the control store's result has no column \(column) (it has \(columns.joined(separator: ", ")))")
        }
        return values[index]
    }

    public subscript<Value: ControlColumnValue>(_ column: String) -> Value? {
        do {
            return try Value.decode(value(column), column: column)
        } catch {
            preconditionFailure(error.message)
        }
    }

    public subscript<Value: ControlColumnValue>(_ column: String) -> Value {
        guard let value: Value = self[column] else {
            preconditionFailure("the control store's column \(column) is NULL where a value is required")
        }
        return value
    }
}
