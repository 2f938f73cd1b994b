import DuckDB
import Foundation
@testable import HangarIngest
import Testing

/// Integers beyond 64 bits stay exact: up to 38 digits in dlt's `wei` (DECIMAL(38,0)), longer ones
/// as text; a bigint column widens to `wei` when a later value needs it.
struct BigIntegerTests {
    static let seventySevenDigits = "11579208923731619542357098500868790785326998466564056403945758400791312963993"
    static let thirtyNineDigits = "170141183460469231731687303715884105727"
    static let twentyDigits = "18446744073709551615"
    static let twoToThe63 = "9223372036854775808"

    /// Loads `jsonLines` from a file through the pipeline and returns `column` of `table`, as text, by `id`.
    private func load(_ jsonLines: String, table: String = "numbers", sandbox: IngestSandbox,
                      format: LoaderFileFormat = .parquet) async throws -> LoadInfo {
        let file = sandbox.folder.appendingPathComponent("\(UUID().uuidString).jsonl")
        try Data(jsonLines.utf8).write(to: file)
        return try await sandbox.pipeline().run(.jsonFiles(table, [file]), loaderFileFormat: format)
    }

    private func texts(_ column: String, sandbox: IngestSandbox, table: String = "github.numbers") throws -> [String?] {
        try sandbox.query("SELECT CAST(\(column) AS VARCHAR) FROM \(table) ORDER BY id").map { row in
            if case .varchar(let text) = row[0] { return text }
            return nil
        }
    }

    private func columnType(_ column: String, sandbox: IngestSandbox, table: String = "numbers") throws -> String? {
        let rows = try sandbox.query("SELECT data_type FROM information_schema.columns WHERE table_schema = 'github' AND table_name = '\(table)' AND column_name = '\(column)'")
        if case .varchar(let type)? = rows.first?.first { return type }
        return nil
    }

    @Test(arguments: [LoaderFileFormat.parquet, .jsonl, .insertValues])
    func integersOf20_39And77DigitsAnd2To63RoundTripExactly(format: LoaderFileFormat) async throws {
        let sandbox = try IngestSandbox()
        _ = try await load("""
            {"id": 1, "twenty": \(Self.twentyDigits), "power": \(Self.twoToThe63), "negative": -\(Self.twoToThe63)1, "wide": \(Self.thirtyNineDigits), "huge": \(Self.seventySevenDigits)}
            {"id": 2, "twenty": 7, "power": -\(Self.twoToThe63), "negative": 0, "wide": -\(Self.thirtyNineDigits), "huge": -\(Self.seventySevenDigits)}

            """, sandbox: sandbox, format: format)
        #expect(try texts("twenty", sandbox: sandbox) == [Self.twentyDigits, "7"])
        #expect(try texts("power", sandbox: sandbox) == [Self.twoToThe63, "-\(Self.twoToThe63)"])
        #expect(try texts("negative", sandbox: sandbox) == ["-\(Self.twoToThe63)1", "0"])
        #expect(try texts("wide", sandbox: sandbox) == [Self.thirtyNineDigits, "-\(Self.thirtyNineDigits)"])
        #expect(try texts("huge", sandbox: sandbox) == [Self.seventySevenDigits, "-\(Self.seventySevenDigits)"])
        #expect(try columnType("twenty", sandbox: sandbox) == "DECIMAL(38,0)")
        #expect(try columnType("power", sandbox: sandbox) == "DECIMAL(38,0)")
        #expect(try columnType("wide", sandbox: sandbox) == "VARCHAR", "39 digits do not fit DECIMAL(38,0): kept exactly as text")
        #expect(try columnType("huge", sandbox: sandbox) == "VARCHAR")
    }

    @Test func aBigintColumnWidensToWeiInOneLoadAndAcrossLoads() async throws {
        let sandbox = try IngestSandbox()
        _ = try await load("{\"id\": 1, \"amount\": 5}\n", sandbox: sandbox)
        #expect(try columnType("amount", sandbox: sandbox) == "BIGINT")
        let info = try await load("""
            {"id": 2, "amount": 6}
            {"id": 3, "amount": \(Self.twentyDigits)}
            {"id": 4, "amount": 7}

            """, sandbox: sandbox)
        #expect(try columnType("amount", sandbox: sandbox) == "DECIMAL(38,0)")
        #expect(try texts("amount", sandbox: sandbox) == ["5", "6", Self.twentyDigits, "7"])
        #expect(info.rowCounts["numbers"] == 3)
    }

    @Test func valuesThatFitNeitherColumnGoToExactVariants() async throws {
        let sandbox = try IngestSandbox()
        _ = try await load("""
            {"id": 1, "amount": \(Self.twentyDigits), "ratio": 0.5}
            {"id": 2, "amount": \(Self.seventySevenDigits), "ratio": \(Self.twentyDigits)}

            """, sandbox: sandbox)
        #expect(try texts("amount", sandbox: sandbox) == [Self.twentyDigits, nil])
        #expect(try texts("amount__v_text", sandbox: sandbox) == [nil, Self.seventySevenDigits])
        #expect(try texts("ratio__v_wei", sandbox: sandbox) == [nil, Self.twentyDigits], "a double column does not round a big integer")
    }

    @Test func bigIntegersInNestedJSONAndChildTablesKeepTheirDigits() async throws {
        let sandbox = try IngestSandbox()
        _ = try await load("""
            {"id": 1, "amounts": [\(Self.twoToThe63), 1], "raw": {"deep": {"deeper": {"value": \(Self.seventySevenDigits)}}}}

            """, sandbox: sandbox)
        let child = try sandbox.query("SELECT CAST(value AS VARCHAR) FROM github.numbers__amounts ORDER BY _dlt_list_idx").map { $0[0] }
        #expect(child == [.varchar(Self.twoToThe63), .varchar("1")])
        #expect(try texts("raw__deep__deeper__value", sandbox: sandbox) == [Self.seventySevenDigits])
        let pipeline = try sandbox.pipeline("nested")
        _ = try await pipeline.run([.object([(key: "id", value: .int(1)), (key: "doc", value: .object([(key: "n", value: .bigInteger(Self.seventySevenDigits))]))])],
                                   table: "docs", maxTableNesting: 0)
        let json = try sandbox.query("SELECT CAST(doc AS VARCHAR) FROM github.docs").first?.first
        #expect(json == .varchar("{\"n\":\(Self.seventySevenDigits)}"))
    }

    @Test func encodedUInt64BeyondInt64IsWei() async throws {
        struct Counter: Encodable { var id: Int; var total: UInt64 }
        let sandbox = try IngestSandbox()
        let rows = try [Counter(id: 1, total: .max), Counter(id: 2, total: 3)].map { try IngestValueEncoder().encode($0) }
        _ = try await sandbox.pipeline().run(rows, table: "numbers")
        #expect(try columnType("total", sandbox: sandbox) == "DECIMAL(38,0)")
        #expect(try texts("total", sandbox: sandbox) == [String(UInt64.max), "3"])
    }
}
