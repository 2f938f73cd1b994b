import Foundation

/// The statements that act on the account rather than on DuckDB, as on the hosted service:
/// databases (`CREATE DATABASE`, `DROP DATABASE`, `SHOW DATABASES`) and flight secrets
/// (`CREATE SECRET … IN MOTHERDUCK (TYPE flights, PARAMS MAP {…})`, `DROP SECRET`). DuckDB has no
/// such databases and no `flights` secret type, so `hangar sql` recognises these before DuckDB
/// sees them; everything else goes to DuckDB unchanged.
enum AccountStatement: Equatable {
    /// `options` are `(TYPE ducklake, DATA_PATH '…', CATALOG '…')`, upper-cased keys; empty for a DuckDB file.
    case createDatabase(name: String, orReplace: Bool, ifNotExists: Bool, copyFrom: String?, options: [SecretOption] = [])
    case dropDatabase(name: String, ifExists: Bool)
    case showDatabases
    /// `options` are the raw `KEY value` pairs between the parentheses, in order.
    case createSecret(name: String, orReplace: Bool, ifNotExists: Bool, inMotherDuck: Bool, options: [SecretOption])
    /// `fromMotherDuck` names the storage; without it the secret may be DuckDB's own.
    case dropSecret(name: String, ifExists: Bool, fromMotherDuck: Bool)

    struct SecretOption: Equatable {
        /// Upper-cased.
        let key: String
        /// The value's SQL text, as written.
        let value: String
    }

    /// A statement that starts like `CREATE … SECRET` but could not be read. Its text may hold
    /// secret values, so it is refused here instead of being passed to DuckDB, whose parser
    /// errors quote the statement.
    struct Malformed: Error, Equatable {
        let message: String
    }

    /// The account statement `sql` is, nil for any other statement.
    static func parse(_ sql: String) throws(Malformed) -> AccountStatement? {
        var words = SQLWords(sql)
        guard let first = words.keyword() else { return nil }
        switch first {
        case "SHOW":
            _ = words.accept("ALL")
            guard words.accept("DATABASES"), words.atEnd else { return nil }
            return .showDatabases
        case "CREATE":
            let orReplace = words.accept("OR", "REPLACE")
            if words.accept("DATABASE") { return createDatabase(&words, orReplace: orReplace) }
            let persistence = words.accept("PERSISTENT") ? "PERSISTENT" : (words.accept("TEMPORARY") || words.accept("TEMP")) ? "TEMPORARY" : nil
            guard words.accept("SECRET") else { return nil }
            return try createSecret(&words, orReplace: orReplace, persistence: persistence, sql: sql)
        case "DROP":
            if words.accept("DATABASE") {
                let ifExists = words.accept("IF", "EXISTS")
                guard let name = words.identifier() else { return nil }
                _ = words.accept("CASCADE") || words.accept("RESTRICT")
                return words.atEnd ? .dropDatabase(name: name, ifExists: ifExists) : nil
            }
            _ = words.accept("PERSISTENT") || words.accept("TEMPORARY") || words.accept("TEMP")
            guard words.accept("SECRET") else { return nil }
            let ifExists = words.accept("IF", "EXISTS")
            guard let name = words.identifier() else { return nil }
            var fromMotherDuck = false
            if words.accept("FROM") {
                guard let storage = words.identifier() else { return nil }
                fromMotherDuck = storage.lowercased() == "motherduck"
                // Another storage (local_file, say) is DuckDB's.
                if !fromMotherDuck { return nil }
            }
            return words.atEnd ? .dropSecret(name: name, ifExists: ifExists, fromMotherDuck: fromMotherDuck) : nil
        default:
            return nil
        }
    }

    private static func createDatabase(_ words: inout SQLWords, orReplace: Bool) -> AccountStatement? {
        let ifNotExists = words.accept("IF", "NOT", "EXISTS")
        guard let name = words.identifier() else { return nil }
        var copyFrom: String?
        if words.accept("FROM") {
            guard let source = words.identifier() else { return nil }
            copyFrom = source
        }
        // MotherDuck's form for a lake: CREATE DATABASE name (TYPE ducklake, DATA_PATH '…').
        let options = words.parenthesizedOptions() ?? []
        return words.atEnd ? .createDatabase(name: name, orReplace: orReplace, ifNotExists: ifNotExists, copyFrom: copyFrom, options: options) : nil
    }

    /// `name [IN storage] (KEY value, …)`. Only a flights secret or one stored `IN MOTHERDUCK`
    /// is the account's; any other (`TYPE s3` in DuckDB's memory) is DuckDB's.
    private static func createSecret(_ words: inout SQLWords, orReplace: Bool, persistence: String?,
                                     sql: String) throws(Malformed) -> AccountStatement? {
        let ifNotExists = words.accept("IF", "NOT", "EXISTS")
        let name = words.identifier()
        var storage: String?
        if words.accept("IN") { storage = words.identifier() }
        let inMotherDuck = storage?.lowercased() == "motherduck"
        let options = words.parenthesizedOptions()
        let isFlights = options?.contains { $0.key == "TYPE" && unquoted($0.value).lowercased() == "flights" } ?? false
        guard inMotherDuck || isFlights else {
            // DuckDB's own secret, unless it names MotherDuck without being readable.
            if storage == nil || options != nil { return nil }
            throw Malformed(message: "Parser Error: CREATE SECRET … IN \(storage ?? "") needs its options in parentheses: (TYPE flights, PARAMS MAP {'KEY': 'value'})")
        }
        guard let name else {
            throw Malformed(message: "Parser Error: CREATE SECRET needs a name: CREATE SECRET my_api IN MOTHERDUCK (TYPE flights, PARAMS MAP {'API_KEY': '…'})")
        }
        guard let options, words.atEnd else {
            throw Malformed(message: "Parser Error: could not read CREATE SECRET \(name); write it as CREATE [OR REPLACE] SECRET \(name) IN MOTHERDUCK (TYPE flights, PARAMS MAP {'API_KEY': '…'}) (the statement is not shown because it may hold secret values)")
        }
        if persistence == "TEMPORARY" {
            throw Malformed(message: "Invalid Input Error: a flights secret is stored in the account for runs to use; it cannot be TEMPORARY")
        }
        return .createSecret(name: name, orReplace: orReplace, ifNotExists: ifNotExists, inMotherDuck: inMotherDuck, options: options)
    }

    /// `flights`, `'flights'` and `"flights"` are the same type name.
    static func unquoted(_ value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= 2, let first = trimmed.first, first == trimmed.last, first == "'" || first == "\"" else { return trimmed }
        return String(trimmed.dropFirst().dropLast())
    }
}

/// Reads a statement word by word: keywords (compared upper-cased), identifiers (bare or
/// double-quoted) and a parenthesized option list. Comments are skipped; strings are only read
/// inside the option list.
struct SQLWords {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ sql: String) {
        scalars = Array(sql.unicodeScalars)
    }

    var atEnd: Bool {
        var copy = self
        copy.skipSpaceAndComments()
        while copy.index < copy.scalars.count, copy.scalars[copy.index] == ";" {
            copy.index += 1
            copy.skipSpaceAndComments()
        }
        return copy.index >= copy.scalars.count
    }

    /// The next bare word, upper-cased.
    mutating func keyword() -> String? {
        skipSpaceAndComments()
        let start = index
        while index < scalars.count, Self.isWordScalar(scalars[index]) { index += 1 }
        guard index > start else { return nil }
        return String(String.UnicodeScalarView(scalars[start..<index])).uppercased()
    }

    /// Consumes `expected` keywords in order, or nothing.
    mutating func accept(_ expected: String...) -> Bool {
        let saved = index
        for word in expected where keyword() != word {
            index = saved
            return false
        }
        return true
    }

    /// A bare identifier as written, or a double-quoted one without its quotes.
    mutating func identifier() -> String? {
        skipSpaceAndComments()
        guard index < scalars.count else { return nil }
        if scalars[index] == "\"" {
            var name = String.UnicodeScalarView()
            index += 1
            while index < scalars.count {
                if scalars[index] == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" { name.append("\""); index += 2; continue }
                    index += 1
                    return name.isEmpty ? nil : String(name)
                }
                name.append(scalars[index])
                index += 1
            }
            return nil
        }
        let start = index
        while index < scalars.count, Self.isWordScalar(scalars[index]) { index += 1 }
        guard index > start, !("0"..."9").contains(scalars[start]) else { index = start; return nil }
        return String(String.UnicodeScalarView(scalars[start..<index]))
    }

    /// `(KEY value, KEY value …)`: each value's text runs to the next comma outside brackets,
    /// braces, parentheses and strings. Nil when the list is not there or not closed.
    mutating func parenthesizedOptions() -> [AccountStatement.SecretOption]? {
        skipSpaceAndComments()
        guard index < scalars.count, scalars[index] == "(" else { return nil }
        index += 1
        var options: [AccountStatement.SecretOption] = []
        while true {
            skipSpaceAndComments()
            guard index < scalars.count else { return nil }
            if scalars[index] == ")" { index += 1; return options }
            guard let key = keyword() else { return nil }
            var depth = 0
            var value = String.UnicodeScalarView()
            while index < scalars.count {
                let scalar = scalars[index]
                if depth == 0, scalar == "," || scalar == ")" { break }
                switch scalar {
                case "(", "[", "{": depth += 1
                case ")", "]", "}": depth -= 1
                case "'", "\"":
                    // A string (or quoted name) as one piece, its doubled quotes included.
                    value.append(scalar)
                    index += 1
                    while index < scalars.count {
                        value.append(scalars[index])
                        if scalars[index] == scalar {
                            if index + 1 < scalars.count, scalars[index + 1] == scalar {
                                value.append(scalar)
                                index += 2
                                continue
                            }
                            break
                        }
                        index += 1
                    }
                    guard index < scalars.count else { return nil }
                    index += 1
                    continue
                default: break
                }
                value.append(scalar)
                index += 1
            }
            guard index < scalars.count else { return nil }
            let text = String(value).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return nil }
            options.append(.init(key: key, value: text))
            if scalars[index] == "," { index += 1 }
        }
    }

    private mutating func skipSpaceAndComments() {
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace {
                index += 1
            } else if scalar == "-", index + 1 < scalars.count, scalars[index + 1] == "-" {
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
            } else if scalar == "/", index + 1 < scalars.count, scalars[index + 1] == "*" {
                index += 2
                while index + 1 < scalars.count, !(scalars[index] == "*" && scalars[index + 1] == "/") { index += 1 }
                index = min(index + 2, scalars.count)
            } else {
                return
            }
        }
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }
}
