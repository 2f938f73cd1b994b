import Foundation
import HangarTestSupport
import Testing

/// What a run loaded reaches its record: a Python flight reports a dlt pipeline's row counts with
/// `hangar.report_load`, and `runs`/`run-info` show them.
struct LoadSummaryTests {
    @Test(.timeLimit(.minutes(5)))
    func aPythonFlightsReportedLoadIsRecordedWithItsRun() throws {
        let home = try FlightsTestHome()
        let source = """
            import types, hangar
            # A stand-in for a dlt pipeline after pipeline.run(...): the same attributes.
            normalize = types.SimpleNamespace(row_counts={"repos": 3, "repos__topics": 5, "_dlt_pipeline_state": 1})
            pipeline = types.SimpleNamespace(pipeline_name="github", dataset_name="flights_demo_dlt",
                                             last_trace=types.SimpleNamespace(last_normalize_info=normalize))
            hangar.report_load(pipeline, types.SimpleNamespace(loads_ids=["1796069797.1"]))
            hangar.report_load(pipeline)
            print("reported")
            """
        let file = try home.file("report.py", source)
        #expect(try home.hangar("create", "reporter", "--source", file).status == 0)
        let run = try home.hangar("run", "reporter", "--wait")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")

        let info = try JSONOutput.object(try home.hangar("run-info", "reporter", "1", "--json").stdout)
        #expect(info["rows_loaded"] as? Int == 16, "two reports of 3 + 5 rows; dlt's own tables do not count: \(info)")
        #expect(info["loaded_tables"] as? [String: Int] == ["flights_demo_dlt.repos": 6, "flights_demo_dlt.repos__topics": 10], "\(info)")
        let details = try home.hangar("run-info", "reporter", "1").stdout
        #expect(details.contains("16 rows: flights_demo_dlt.repos 6, flights_demo_dlt.repos__topics 10"), "\(details)")
        let log = try home.hangar("logs", "reporter", "1").stdout
        #expect(log.contains("loaded 16 rows into 2 tables"), "\(log)")

        // A run that reports nothing has no load summary.
        try home.file("report.py", "print('nothing loaded')\n")
        #expect(try home.hangar("update", "reporter", "--source", file).status == 0)
        #expect(try home.hangar("run", "reporter", "--wait").status == 0)
        let quiet = try JSONOutput.object(try home.hangar("run-info", "reporter", "2", "--json").stdout)
        #expect(quiet["rows_loaded"] is NSNull && quiet["loaded_tables"] is NSNull, "\(quiet)")
    }
}
