/// What Tab offers in the interactive shell for the statement typed so far: SQL keywords,
/// databases, schemas, tables and columns from the session's catalog, the `MD_*` functions and,
/// inside their parentheses, their named parameters, and flight names in the strings of an
/// `MD_*` call (`flight_id := '` offers each flight's id by its name).
///
/// Only the text matters here, so completion is tested without a terminal; `CompletionCatalog`
/// brings the names.
struct SQLCompletion {
    struct Candidate: Equatable {
        /// What replaces the typed word.
        let text: String
        /// What a list of candidates shows.
        let display: String
        /// Typed after a lone candidate: a space after a keyword, `(` after a function, the
        /// closing quote after a string; nothing after a database or schema, which a `.` follows.
        let suffix: String
    }

    struct Result: Equatable {
        /// The word before the cursor that a candidate replaces (an opening quote included).
        let typed: String
        let candidates: [Candidate]
    }

    let catalog: CompletionCatalog

    /// `statement` is the text from the statement's start to the cursor; `rest` what follows the
    /// cursor, read for the tables a statement names after it (`SELECT na|me FROM t`).
    func complete(_ statement: String, rest: String = "") -> Result {
        var lexer = SQLLexer(statement)
        let all = lexer.tokens()
        // Only the statement under the cursor counts, not one the same line ended before it.
        let tokens = all[(all.lastIndex(of: .symbol(";")).map { $0 + 1 } ?? 0)...]
        let context = CallContext(tokens)
        let tables = referencedTables(tokens.compactMap(\.name) + SQLLexer.names(inStatementStarting: rest))
        switch tokens.last {
        case .string(let raw, closed: false)?:
            return Result(typed: "'" + raw, candidates: flightCandidates(raw.replacingOccurrences(of: "''", with: "'"),
                                                                         context: context, tokens: tokens))
        case .comment(closed: false)?, .dollarQuoted(closed: false)?:
            return Result(typed: "", candidates: [])
        case .string?, .dollarQuoted?, .number?, .quotedWord(_, closed: true)?:
            // Right after a value there is no name to complete; after a space there is.
            if lexer.lastTokenTouchesEnd { return Result(typed: "", candidates: []) }
        default:
            break
        }
        let word = DottedWord(tokens, touchesEnd: lexer.lastTokenTouchesEnd)
        var candidates: [Candidate]
        if word.qualifiers.isEmpty {
            candidates = bareCandidates(word.partial, context: context, tables: tables)
        } else {
            candidates = qualifiedCandidates(word.qualifiers, tables: tables)
        }
        candidates = candidates.filter { word.matches($0) }.map { word.quotedIfNeeded($0) }
        return Result(typed: word.typed, candidates: Self.unique(candidates))
    }

    // MARK: - Names by context

    private func bareCandidates(_ partial: String, context: CallContext, tables: [CompletionCatalog.Table]) -> [Candidate] {
        var candidates: [Candidate] = []
        // The `MD_*` functions take named arguments only: where one is due, nothing else fits.
        if let call = context.innermostCall, let function = catalog.function(named: call.function), call.argument == nil {
            for parameter in function.parameters.sorted() where !call.namedArguments.contains(parameter.lowercased()) {
                candidates.append(Candidate(text: parameter, display: parameter, suffix: " := "))
            }
            return candidates
        }
        for database in catalog.databases {
            candidates.append(Candidate(text: database, display: database, suffix: ""))
        }
        for schema in catalog.schemas where schema.database == catalog.currentDatabase {
            candidates.append(Candidate(text: schema.name, display: schema.name, suffix: ""))
        }
        for table in catalog.tables where table.isOnSearchPath(of: catalog) {
            candidates.append(Candidate(text: table.name, display: table.name, suffix: " "))
        }
        for table in tables {
            for column in table.columns { candidates.append(Candidate(text: column, display: column, suffix: " ")) }
        }
        // Keywords and functions in the case typed so far (upper case for nothing typed); a
        // name of the catalog that is also a keyword keeps its own meaning, being first.
        let upper = !partial.unicodeScalars.contains { $0.properties.isLowercase }
        for function in catalog.functions {
            let text = upper ? function.name.uppercased() : function.name.lowercased()
            candidates.append(Candidate(text: text, display: text + "()", suffix: "("))
        }
        for keyword in catalog.keywords {
            let text = upper ? keyword.uppercased() : keyword.lowercased()
            candidates.append(Candidate(text: text, display: text, suffix: " "))
        }
        return candidates
    }

    /// After `a.`, `a.b.` or `a.b.c.`: what each reading of the qualifiers names, as DuckDB
    /// resolves them (database, schema, table or alias).
    private func qualifiedCandidates(_ qualifiers: [String], tables referenced: [CompletionCatalog.Table]) -> [Candidate] {
        var candidates: [Candidate] = []
        func add(_ names: [String], suffix: String) {
            candidates += names.map { Candidate(text: $0, display: $0, suffix: suffix) }
        }
        func same(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }
        let tables = catalog.tables
        switch qualifiers.count {
        case 1:
            let name = qualifiers[0]
            // A database: its schemas, and the tables of its main schema.
            add(catalog.schemas.filter { same($0.database, name) }.map(\.name), suffix: "")
            add(tables.filter { same($0.database, name) && same($0.schema, "main") }.map(\.name), suffix: " ")
            // A schema of the current database: its tables.
            add(tables.filter { same($0.database, catalog.currentDatabase) && same($0.schema, name) }.map(\.name), suffix: " ")
            // A table, or an alias of one the statement names: its columns.
            let aliased = referenced.filter { $0.aliases.contains { same($0, name) } }
            let named = tables.filter { same($0.name, name) && $0.isOnSearchPath(of: catalog) }
            add((aliased.isEmpty ? named : aliased).flatMap(\.columns), suffix: " ")
        case 2:
            let (first, second) = (qualifiers[0], qualifiers[1])
            add(tables.filter { same($0.database, first) && same($0.schema, second) }.map(\.name), suffix: " ")
            let table = tables.filter {
                (same($0.database, catalog.currentDatabase) && same($0.schema, first) && same($0.name, second))
                    || (same($0.database, first) && same($0.schema, "main") && same($0.name, second))
            }
            add(table.flatMap(\.columns), suffix: " ")
        case 3:
            let table = tables.filter { same($0.database, qualifiers[0]) && same($0.schema, qualifiers[1]) && same($0.name, qualifiers[2]) }
            add(table.flatMap(\.columns), suffix: " ")
        default:
            break
        }
        return candidates
    }

    /// In a string of an `MD_*` call, or after `flight_name =`: the account's flights. For
    /// `flight_id` the flight's id replaces the typed name (or the start of the id).
    private func flightCandidates(_ typed: String, context: CallContext, tokens: ArraySlice<SQLLexer.Token>) -> [Candidate] {
        let inCall = context.innermostCall.map { catalog.function(named: $0.function) != nil } ?? false
        let beforeString = tokens.dropLast().suffix(2)
        let afterFlightName = beforeString.last == .symbol("=")
            && { if case .word(let name)? = beforeString.first { name.lowercased() == "flight_name" } else { false } }()
        guard inCall || afterFlightName else { return [] }
        let prefix = typed.lowercased()
        if inCall, context.innermostCall?.argument == "flight_id" {
            return catalog.flights
                .filter { $0.name.lowercased().hasPrefix(prefix) || $0.id.lowercased().hasPrefix(prefix) }
                .map { Candidate(text: "'" + $0.id, display: "\($0.name) (\($0.id))", suffix: "'") }
        }
        return catalog.flights
            .filter { $0.name.lowercased().hasPrefix(prefix) }
            .map { Candidate(text: "'" + $0.name.replacingOccurrences(of: "'", with: "''"), display: $0.name, suffix: "'") }
    }

    /// The catalog's tables a statement names (by their own name), with the aliases it gives them.
    private func referencedTables(_ words: [String]) -> [CompletionCatalog.Table] {
        let lowered = words.map { $0.lowercased() }
        let keywords = Set(catalog.keywords.map { $0.lowercased() })
        return catalog.tables.compactMap { table in
            let name = table.name.lowercased()
            let positions = lowered.indices.filter { lowered[$0] == name }
            guard !positions.isEmpty else { return nil }
            var table = table
            for position in positions {
                var next = position + 1
                if next < lowered.count, lowered[next] == "as" { next += 1 }
                if next < lowered.count, !keywords.contains(lowered[next]) { table.aliases.append(words[next]) }
            }
            return table
        }
    }

    /// One candidate per text, the first one given.
    private static func unique(_ candidates: [Candidate]) -> [Candidate] {
        var seen: Set<String> = []
        return candidates.filter { seen.insert($0.text.lowercased()).inserted }
            .sorted { $0.text.lowercased() < $1.text.lowercased() }
    }
}

extension SQLCompletion {
/// The `MD_*` call the cursor is in, if any: the function, the named argument being written
/// (after its `:=`), and the arguments already named.
fileprivate struct CallContext {
    struct Call {
        let function: String
        var argument: String?
        var namedArguments: Set<String> = []
    }

    private(set) var innermostCall: Call?

    init(_ tokens: ArraySlice<SQLLexer.Token>) {
        var stack: [Call?] = []
        var previous: SQLLexer.Token?
        for token in tokens {
            switch token {
            case .symbol("("):
                if case .word(let name)? = previous { stack.append(Call(function: name.lowercased())) } else { stack.append(nil) }
            case .symbol(")"):
                _ = stack.popLast()
            case .symbol(","):
                if let last = stack.indices.last { stack[last]?.argument = nil }
            case .assign:
                if let last = stack.indices.last, case .word(let name)? = previous {
                    stack[last]?.argument = name.lowercased()
                    stack[last]?.namedArguments.insert(name.lowercased())
                }
            default:
                break
            }
            previous = token
        }
        innermostCall = stack.last ?? nil
    }
}

/// The dotted name being typed before the cursor: `docs_playground.flights_demo_dlt.gi` is
/// qualifiers `docs_playground`, `flights_demo_dlt` and the partial `gi`.
fileprivate struct DottedWord {
    private(set) var qualifiers: [String] = []
    private(set) var partial = ""
    /// The partial as typed, its opening `"` included.
    private(set) var typed = ""
    private var quoted = false

    init(_ tokens: ArraySlice<SQLLexer.Token>, touchesEnd: Bool) {
        var tail = tokens[...]
        // The partial: a name touching the cursor (or nothing after a `.` or a space).
        if touchesEnd, let last = tail.last {
            switch last {
            case .word(let name):
                partial = name
                typed = name
                tail = tail.dropLast()
            case .quotedWord(let raw, closed: false):
                partial = raw.replacingOccurrences(of: "\"\"", with: "\"")
                typed = "\"" + raw
                quoted = true
                tail = tail.dropLast()
            default:
                break
            }
        }
        // Qualifiers: `name.` pairs going back.
        while tail.last == .symbol("."), let before = tail.dropLast().last {
            switch before {
            case .word(let name):
                qualifiers.insert(name, at: 0)
                tail = tail.dropLast(2)
            case .quotedWord(let raw, closed: true):
                qualifiers.insert(raw.replacingOccurrences(of: "\"\"", with: "\""), at: 0)
                tail = tail.dropLast(2)
            default:
                return
            }
        }
        // `.` needs to touch the cursor or the name: `SELECT 1 . ` is not qualified.
        if !touchesEnd, !qualifiers.isEmpty, partial.isEmpty { qualifiers = [] }
    }

    func matches(_ candidate: SQLCompletion.Candidate) -> Bool {
        candidate.text.lowercased().hasPrefix(partial.lowercased())
    }

    /// Names that are not plain identifiers go in double quotes, as does any name whose quote
    /// the person opened.
    func quotedIfNeeded(_ candidate: SQLCompletion.Candidate) -> SQLCompletion.Candidate {
        let plain = candidate.text.unicodeScalars.first.map { !("0"..."9").contains($0) } ?? false
            && candidate.text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard quoted || !plain, candidate.suffix != "(", candidate.suffix != " := " else { return candidate }
        let quotedText = "\"" + candidate.text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        return SQLCompletion.Candidate(text: quotedText, display: candidate.display, suffix: candidate.suffix)
    }
}
}
