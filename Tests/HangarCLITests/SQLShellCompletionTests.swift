@testable import HangarCLI
import Testing

/// What Tab offers for a statement typed so far, against a catalog made up for the test (the
/// shell reads the real one from the session; `SQLShellTests` drives that through a terminal).
@Suite struct SQLShellCompletionTests {
    private let catalog: CompletionCatalog = {
        var catalog = CompletionCatalog()
        catalog.keywords = ["select", "from", "where", "as", "join", "set"]
        catalog.databases = ["memory", "docs_playground"]
        catalog.schemas = [.init(database: "memory", name: "main"), .init(database: "docs_playground", name: "flights_demo_dlt")]
        catalog.tables = [
            .init(database: "memory", schema: "main", name: "flight_ledger", columns: ["run_id", "load_summary"]),
            .init(database: "docs_playground", schema: "flights_demo_dlt", name: "github_repo_stats", columns: ["repo", "stars"]),
            .init(database: "memory", schema: "main", name: "Odd Name", columns: ["x"]),
        ]
        catalog.functions = [.init(name: "md_run_flight", parameters: ["flight_id", "config"]),
                             .init(name: "md_create_flight", parameters: ["name", "source_code", "schedule_cron"])]
        catalog.flights = [.init(name: "docs_dlt_ingest", id: "0d9c6e2a-6f4e-4a43-9b7a-3f2d1c0b9a88"),
                           .init(name: "repo_stats", id: "5b1f0c3e-2d4a-4e6b-8c9d-0a1b2c3d4e5f")]
        return catalog
    }()

    private func complete(_ text: String, rest: String = "") -> SQLCompletion.Result {
        SQLCompletion(catalog: catalog).complete(text, rest: rest)
    }

    private func texts(_ text: String, rest: String = "") -> [String] {
        complete(text, rest: rest).candidates.map(\.text)
    }

    @Test func keywordsFollowTheCaseTyped() {
        #expect(texts("SEL") == ["SELECT"])
        #expect(texts("sel") == ["select"])
        #expect(complete("sel").candidates.first?.suffix == " ")
    }

    @Test func tablesOfTheCurrentSchemaAndQualifiedOnes() {
        #expect(texts("SELECT * FROM flight_l") == ["flight_ledger"])
        #expect(texts("SELECT * FROM docs_playground.") == ["flights_demo_dlt"])
        #expect(texts("SELECT * FROM docs_playground.flights_demo_dlt.gi") == ["github_repo_stats"])
        // A name that is no plain identifier is quoted.
        #expect(texts("SELECT * FROM Odd") == ["\"Odd Name\""])
    }

    @Test func columnsOfTheTablesTheStatementNamesAndOfTheirAliases() {
        #expect(texts("SELECT load_", rest: " FROM flight_ledger") == ["load_summary"])
        #expect(texts("SELECT l.r", rest: " FROM flight_ledger AS l") == ["run_id"])
        #expect(texts("SELECT s.st", rest: " FROM docs_playground.flights_demo_dlt.github_repo_stats s") == ["stars"])
        #expect(texts("SELECT flight_ledger.") == ["load_summary", "run_id"])
    }

    @Test func flightsFunctionsAndTheirNamedParameters() {
        #expect(texts("FROM MD_RUN_F") == ["MD_RUN_FLIGHT"])
        #expect(complete("FROM md_run_f").candidates.first?.suffix == "(")
        #expect(texts("FROM MD_RUN_FLIGHT(fl") == ["flight_id"])
        #expect(complete("FROM MD_RUN_FLIGHT(fl").candidates.first?.suffix == " := ")
        // Parameters already given are not offered again.
        #expect(!texts("FROM MD_CREATE_FLIGHT(name := 'x', ").contains("name"))
        #expect(texts("FROM MD_CREATE_FLIGHT(name := 'x', sc") == ["schedule_cron"])
    }

    @Test func flightNamesInsideFlightsCalls() {
        // flight_id takes the id: the name typed finds it.
        let byName = complete("FROM MD_RUN_FLIGHT(flight_id := 'docs")
        #expect(byName.typed == "'docs")
        #expect(byName.candidates.map(\.text) == ["'0d9c6e2a-6f4e-4a43-9b7a-3f2d1c0b9a88"])
        #expect(byName.candidates.first?.suffix == "'")
        #expect(texts("FROM MD_CREATE_FLIGHT(name := 'rep") == ["'repo_stats"])
        #expect(texts("SELECT flight_id FROM MD_LIST_FLIGHTS() WHERE flight_name = 'do") == ["'docs_dlt_ingest"])
        // Other strings are nobody's business.
        #expect(texts("SELECT 'do").isEmpty)
    }

    @Test func nothingInsideCommentsOrRightAfterAValue() {
        #expect(texts("SELECT 1 -- sel").isEmpty)
        #expect(texts("SELECT /* sel").isEmpty)
        #expect(texts("SELECT 12").isEmpty)
        // Only the statement under the cursor counts.
        #expect(texts("SELECT 1 AS flight_ledger; SELECT * FROM flight_l") == ["flight_ledger"])
    }
}
