import DuckDB
import Foundation
import Testing

struct TableFunctionTests {
    /// Echoes its arguments back as one row per repetition, so each argument's type is checked.
    static let echo = TableFunction(
        name: "echo_args",
        parameters: [.varchar],
        namedParameters: [
            "times": .bigint, "verbose": .boolean, "config": .map(key: .varchar, value: .varchar),
            "tags": .list(.varchar), "id": .uuid, "small": .integer,
        ]
    ) { arguments in
        let times = arguments["times"]?.int64 ?? 1
        guard times >= 0 else { throw DuckDBError(.invalidInput, message: "times must not be negative, got \(times)") }
        let config: [String: String] = try arguments["config"].map { try [String: String](duckDBValue: $0) } ?? [:]
        let rows = (0..<times).map { index -> [DuckDBValue] in
            [.bigint(index), arguments[0], arguments["verbose"] ?? .null,
             .varchar(config.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")),
             arguments["tags"] ?? .list([]), arguments["id"] ?? .null, arguments["small"] ?? .null]
        }
        return TableFunctionResult(
            columns: [("n", .bigint), ("name", .varchar), ("verbose", .boolean), ("config", .varchar),
                      ("tags", .list(.varchar)), ("id", .uuid), ("small", .integer)],
            rows: rows)
    }

    @Test func callableInAllThreeSQLForms() throws {
        let connection = try Database().connect()
        try connection.register(Self.echo)
        let id = UUID()
        let arguments = "'flight', times := 3, verbose := true, config := MAP {'b': '2', 'a': '1'}, tags := ['x', 'y'], id := '\(id.uuidString)', small := 7"
        for sql in ["SELECT * FROM echo_args(\(arguments))", "FROM echo_args(\(arguments))", "CALL echo_args(\(arguments))"] {
            let rows = try connection.query(sql).all()
            #expect(rows.count == 3, "\(sql)")
            #expect(rows.last?.values == [.bigint(2), .varchar("flight"), .boolean(true), .varchar("a=1,b=2"),
                                          .list([.varchar("x"), .varchar("y")]), .uuid(id), .integer(7)], "\(sql)")
        }
    }

    @Test func omittedNamedParametersAreAbsent() throws {
        let connection = try Database().connect()
        try connection.register(Self.echo)
        let rows = try connection.query("SELECT n, \"verbose\", config, tags, id FROM echo_args('x')").all()
        #expect(rows.map(\.values) == [[.bigint(0), .null, .varchar(""), .list([]), .null]])
    }

    @Test func anErrorThrownInSwiftReachesTheSQLCaller() throws {
        let connection = try Database().connect()
        try connection.register(Self.echo)
        let error = #expect(throws: DuckDBError.self) { try connection.query("SELECT * FROM echo_args('x', times := -1)") }
        #expect(error?.message.contains("times must not be negative, got -1") == true)
        // A wrong argument type is DuckDB's own binder error.
        let binder = #expect(throws: DuckDBError.self) { try connection.query("SELECT * FROM echo_args('x', times := 'many')") }
        #expect(binder?.message.contains("many") == true)
        // The connection still works afterwards.
        #expect(try connection.scalar("SELECT count(*) FROM echo_args('x', times := 2)", as: Int.self) == 2)
    }

    /// What the MD_* SQL functions rely on: an explicit NULL arrives as `.null` (a PATCH clears)
    /// while a left-out parameter is absent (a PATCH keeps); arguments are constant-folded before
    /// bind (`getvariable`, `array_to_string(..., chr(10))`); a VARCHAR cast to UUID arrives as a
    /// UUID; a bind error reads "Binder Error", one thrown while producing rows "Invalid Input
    /// Error".
    @Test func namedArgumentsArriveFoldedAndNullIsTellableFromAbsent() throws {
        let connection = try Database().connect()
        try connection.register(TableFunction(name: "patch_args", namedParameters: ["note": .varchar, "id": .uuid, "fail": .varchar]) { arguments in
            if let bindError = arguments["fail"]?.string, bindError == "bind" { throw DuckDBError(.invalidInput, message: "refused at bind") }
            let failing = arguments["fail"]?.string == "rows"
            let note: DuckDBValue = arguments["note"].map { $0.isNull ? .varchar("<null>") : $0 } ?? .varchar("<absent>")
            let row: [DuckDBValue] = [note, arguments["id"] ?? .null]
            var done = false
            return TableFunctionResult(columns: [("note", .varchar), ("id", .uuid)]) {
                if failing { throw DuckDBError(.invalidInput, message: "refused while producing rows") }
                defer { done = true }
                return done ? nil : row
            }
        })
        let id = UUID()
        try connection.execute("SET VARIABLE the_id = '\(id.uuidString)'::UUID")
        #expect(try connection.query("FROM patch_args()").all().map(\.values) == [[.varchar("<absent>"), .null]])
        #expect(try connection.query("FROM patch_args(note := NULL)").all().map(\.values) == [[.varchar("<null>"), .null]])
        #expect(try connection.query("FROM patch_args(note := array_to_string(['a', 'b'], chr(10)), id := getvariable('the_id'))")
            .all().map(\.values) == [[.varchar("a\nb"), .uuid(id)]])
        #expect(try connection.query("CALL patch_args(id := '\(id.uuidString)')").all().map(\.values) == [[.varchar("<absent>"), .uuid(id)]])
        let bind = #expect(throws: DuckDBError.self) { try connection.query("FROM patch_args(fail := 'bind')").all() }
        #expect(bind?.message.hasPrefix("Binder Error: refused at bind") == true, "\(bind?.message ?? "")")
        let rows = #expect(throws: DuckDBError.self) { try connection.query("FROM patch_args(fail := 'rows')").all() }
        #expect(rows?.message.hasPrefix("Invalid Input Error: refused while producing rows") == true, "\(rows?.message ?? "")")
        // Subqueries are refused by DuckDB itself: users pass ids through variables.
        let subquery = #expect(throws: DuckDBError.self) { try connection.query("FROM patch_args(note := (SELECT 'x'))").all() }
        #expect(subquery?.message.contains("Table function cannot contain subqueries") == true)
    }

    @Test func largeResultsSpanManyChunks() throws {
        let connection = try Database().connect()
        try connection.register(TableFunction(name: "numbers", parameters: [.bigint]) { arguments in
            let count = arguments[0].int64 ?? 0
            var next: Int64 = 0
            return TableFunctionResult(columns: [("i", .bigint), ("label", .varchar)]) {
                guard next < count else { return nil }
                defer { next += 1 }
                return [.bigint(next), .varchar("label \(next)")]
            }
        })
        let row = try #require(try connection.query("SELECT count(*), sum(i), max(label) FROM numbers(100000)").next())
        #expect(row.values == [.bigint(100_000), .hugeint(4_999_950_000), .varchar("label 99999")])
    }

    @Test func anErrorWhileProducingRowsFailsTheQuery() throws {
        let connection = try Database().connect()
        try connection.register(TableFunction(name: "failing") { _ in
            var produced = 0
            return TableFunctionResult(columns: [("i", .integer)]) {
                produced += 1
                if produced > 5000 { throw DuckDBError(.io, message: "the upstream API went away after \(produced - 1) rows") }
                return [.integer(Int32(produced))]
            }
        })
        let error = #expect(throws: DuckDBError.self) { try connection.query("SELECT sum(i) FROM failing()").all() }
        #expect(error?.message.contains("the upstream API went away after 5000 rows") == true)
    }
}

struct ScalarFunctionTests {
    @Test func scalarFunctionsOfEachBasicType() throws {
        let connection = try Database().connect()
        try connection.register(ScalarFunction(name: "shout", parameters: [.varchar], returns: .varchar) { args in
            .varchar(args[0].string!.uppercased() + "!")
        })
        try connection.register(ScalarFunction(name: "times_two", parameters: [.bigint], returns: .bigint) { args in
            .bigint(args[0].int64! * 2)
        })
        try connection.register(ScalarFunction(name: "hypotenuse", parameters: [.double, .double], returns: .double) { args in
            .double((args[0].double! * args[0].double! + args[1].double! * args[1].double!).squareRoot())
        })
        let row = try #require(try connection.query("SELECT shout('hangar'), times_two(21), hypotenuse(3, 4), shout(NULL)").next())
        #expect(row.values == [.varchar("HANGAR!"), .bigint(42), .double(5), .null])
        let sum = try connection.scalar("SELECT sum(times_two(i)) FROM range(100000) t(i)", as: Int.self)
        #expect(sum == 9_999_900_000)
    }

    @Test func aThrowingScalarFunctionFailsTheQueryWithItsMessage() throws {
        let connection = try Database().connect()
        try connection.register(ScalarFunction(name: "checked", parameters: [.bigint], returns: .bigint) { args in
            guard args[0].int64! < 10 else { throw DuckDBError(.outOfRange, message: "value \(args[0].int64!) is too large") }
            return args[0]
        })
        let error = #expect(throws: DuckDBError.self) { try connection.query("SELECT checked(i) FROM range(20) t(i)").all() }
        #expect(error?.message.contains("value 10 is too large") == true)
    }
}
