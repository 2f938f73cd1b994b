import Foundation
import HangarFlights
import Logging
import NIOCore
import PostgresNIO

/// One open transaction on a PostgreSQL connection, as ``ControlDatabase``: `?` placeholders
/// become `$1…$n`, arguments are bound with their types, and results come back as
/// ``ControlRow``s.
struct PostgresControlDatabase: ControlDatabase {
    let connection: PostgresConnection
    let logger: Logger

    var dialect: ControlDialect { .postgres }

    func rows(_ sql: String, _ arguments: [(any ControlArgument)?]) throws -> [ControlRow] {
        try run(sql, arguments).rows.map(Self.row)
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: [(any ControlArgument)?]) throws -> Int {
        try run(sql, arguments).metadata.rows ?? 0
    }

    func run(_ sql: String, _ arguments: [(any ControlArgument)?]) throws -> PostgresQueryResult {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument.controlValue {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            case .blob(let data): bindings.append(ByteBuffer(bytes: data))
            case .boolean(let flag): bindings.append(flag)
            }
        }
        let query = PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: bindings)
        return try Self.wait(for: connection.query(query, logger: logger), on: connection)
    }

    /// How long a statement's answer may take before its connection counts as broken: longer
    /// than the server's own `statement_timeout`, so a slow statement fails on the server first.
    static let answerDeadline = TimeAmount.seconds(40)

    /// Waits for `future`, but not forever: a connection whose server vanished without closing
    /// it (a restart racing a query, a network partition) would never answer. Past the
    /// deadline the connection is closed and the wait fails as a broken connection.
    static func wait<Value: Sendable>(for future: EventLoopFuture<Value>, on connection: PostgresConnection) throws -> Value {
        let promise = future.eventLoop.makePromise(of: Value.self)
        let deadline = future.eventLoop.scheduleTask(in: answerDeadline) {
            promise.fail(NoAnswer())
            let closing: EventLoopFuture<Void> = connection.close()
            _ = closing
        }
        future.whenComplete { result in
            deadline.cancel()
            promise.completeWith(result)
        }
        return try promise.futureResult.wait()
    }

    /// The server did not answer within ``answerDeadline``.
    struct NoAnswer: Error, CustomStringConvertible {
        var description: String { "no answer from the server within \(answerDeadline.nanoseconds / 1_000_000_000) s" }
    }

    /// `?` outside quotes and comments becomes `$1`, `$2`, … in order.
    static func numberedPlaceholders(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func row(_ row: PostgresRow) throws -> ControlRow {
        var columns: [String] = []
        var values: [ControlValue] = []
        for cell in row {
            columns.append(cell.columnName)
            values.append(try value(cell))
        }
        return ControlRow(columns: columns, values: values)
    }

    static func value(_ cell: PostgresCell) throws -> ControlValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .bool: return .boolean(try cell.decode(Bool.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bytea:
            let buffer = try cell.decode(ByteBuffer.self)
            return .blob(Data(buffer.readableBytesView))
        case .text, .varchar, .name, .bpchar: return .text(try cell.decode(String.self))
        default:
            // Types the control schema does not use (void from pg_advisory_xact_lock, say).
            return .null
        }
    }
}
