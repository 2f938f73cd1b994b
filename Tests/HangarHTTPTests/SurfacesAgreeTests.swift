import Foundation
@testable import HangarFlights
@testable import HangarHTTP
import HangarViews
import HangarTestSupport
import Testing

/// `hangar … --json` and the API show the same flight, version, run, log line and query result
/// with the same field names and the same values, and the OpenAPI document lists exactly those
/// fields: all three are made from HangarViews' definitions.
struct SurfacesAgreeTests {
    /// Parsed JSON, for comparing what two surfaces printed.
    private static func parse(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    private static func same(_ cli: Any, _ api: Any) -> Bool {
        NSArray(array: [cli]).isEqual(to: [api])
    }

    @Test(.timeLimit(.minutes(5)), .fullRunOnly)
    func theCLIAndTheAPIShowTheSameFlightRunLogAndQuery() async throws {
        let test = try FlightsTestHome.shared("api-runs")
        let server = try await test.serve()
        let api = try server.client()
        let name = uniqueName("agree")
        let file = test.scratch.path("\(name).py")
        try Data("print('same on every surface')\n".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try test.hangar("create", name, "--source", file, "--config", "K=v").status == 0)
        let ran = try test.hangar("run", name, "--wait", "--json")
        #expect(ran.status == 0, "\(ran.stderr)")

        let flight = try #require(try Self.parse(test.hangar("show", name, "--json").stdout) as? [String: Any])
        let servedFlight = try await api.get("/api/v1/flights/\(name)").json
        #expect(Set(flight.keys) == Set(servedFlight.keys))
        #expect(Self.same(flight, servedFlight), "hangar show: \(flight)\nGET flight: \(servedFlight)")

        let versions = try Self.parse(test.hangar("versions", name, "--json").stdout) as? [[String: Any]] ?? []
        let servedVersions = try await api.get("/api/v1/flights/\(name)/versions").items
        #expect(versions.count == 1 && Self.same(versions, servedVersions), "\(versions)\n\(servedVersions)")

        let runs = try Self.parse(test.hangar("runs", name, "--json").stdout) as? [[String: Any]] ?? []
        let runID = try #require(runs.first?["run_id"] as? String)
        let servedRun = try await api.get("/api/v1/runs/\(runID)").json
        #expect(Set(runs[0].keys) == Set(servedRun.keys))
        #expect(Self.same(runs[0], servedRun), "hangar runs: \(runs[0])\nGET run: \(servedRun)")
        let info = try #require(try Self.parse(test.hangar("run-info", name, "1", "--json").stdout) as? [String: Any])
        #expect(Self.same(info, servedRun))

        let lines = try test.hangar("logs", name, "1", "--json").stdout.split(separator: "\n").map { try Self.parse(String($0)) }
        let servedLines = try await api.get("/api/v1/runs/\(runID)/logs").items
        #expect(!lines.isEmpty && Self.same(lines, servedLines), "\(lines)\n\(servedLines)")

        let sql = """
            SELECT 9007199254740993::BIGINT AS big, 12.50::DECIMAL(10,2) AS price, 170141183460469231731687303715884105727::HUGEINT AS huge,
                   'x' AS text, [1, 2] AS list, {'a': 1} AS struct, '{"k": [1]}'::JSON AS json, TIMESTAMP '2026-01-01 07:15:00' AS ts,
                   NULL AS nothing, 1.5::DOUBLE AS ratio
            """
        let cliRows = try #require(try Self.parse(test.hangar("sql", "--json", "-c", sql).stdout) as? [[String: Any]])
        for numbers in DuckDBJSON.Numbers.allCases {
            let answer = try await api.post("/api/v1/sql", ["sql": sql, "numbers": numbers.rawValue])
            #expect(answer.status == 200, "\(answer.json)")
            let columns = (answer.json["columns"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            let row = (answer.json["rows"] as? [[Any]])?.first ?? []
            let served = Dictionary(uniqueKeysWithValues: zip(columns, row))
            if numbers == .exact {
                #expect(Set(cliRows[0].keys) == Set(served.keys))
                #expect(Self.same(cliRows[0], served), "hangar sql --json: \(cliRows[0])\nPOST /sql: \(served)")
            } else {
                #expect(served["big"] as? String == "9007199254740993" && served["price"] as? String == "12.50")
                #expect(served["huge"] as? String == "170141183460469231731687303715884105727")
                #expect(served["text"] as? String == "x" && served["ratio"] as? Double == 1.5)
            }
        }
        let text = try test.hangar("sql", "--json", "-c", sql).stdout
        #expect(text.contains("\"big\":9007199254740993") && text.contains("\"price\":12.50") && text.contains("\"json\":{\"k\": [1]}"), "\(text)")
    }

    /// The field names, in order, of what HangarViews makes, for the OpenAPI schema of each.
    @Test func theOpenAPISchemasListTheFieldsTheViewsMake() throws {
        let document = try #require(try Self.parse(OpenAPIDocument.text) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        func documented(_ name: String) -> [String] {
            let properties = (schemas[name] as? [String: Any])?["properties"] as? [String: Any] ?? [:]
            // JSONSerialization drops the order; the document's text keeps it.
            let text = OpenAPIDocument.text
            guard let start = text.range(of: "\"\(name)\":{") else { return [] }
            return properties.keys.sorted { a, b in
                (text.range(of: "\"\(a)\":", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex)
                    < (text.range(of: "\"\(b)\":", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex)
            }
        }
        let now = Date()
        let flight = Flight(id: UUID(), name: "f", scheduleCron: "15 7 * * *", scheduleStatus: .active, catchUp: .latest,
                            currentVersion: 1, runtime: .python, ownerName: "me", createdAt: now, updatedAt: now, nextFire: now)
        let version = FlightVersion(id: UUID(), flightID: flight.id, number: 1, createdAt: now, runtime: .python, config: [:],
                                    secretNames: [], accessTokenName: nil, maxRuntimeSec: nil, instanceType: nil)
        let detail = FlightVersionDetail(version: version, sourceCode: "print(1)", requirementsTxt: nil)
        let run = FlightRun(id: UUID(), flightID: flight.id, flightName: "f", flightVersion: 1, runNumber: 1, isScheduled: false,
                            status: .succeeded, config: [:], createdAt: now, scheduledAt: nil, startedAt: now, endedAt: now,
                            cancelRequestedAt: nil, cancelledAt: nil, exitCode: 0, failure: nil, supervisor: nil, program: nil)
        let line = LogLine(lineNumber: 1, reportedAt: now, stream: .stdout, line: "x")
        let secret = SecretSummary(name: "s", keys: ["k"], createdAt: now, updatedAt: now)
        let views: [(String, JSONValue)] = [
            ("FlightSummary", flight.summaryJSON),
            ("FlightDetail", flight.detailJSON(version: detail, lastRun: run)),
            ("Version", version.json),
            ("VersionDetail", detail.json),
            ("Run", run.json()),
            ("RecentRun", run.recentJSON()),
            ("LogLine", line.json),
            ("Secret", secret.json),
        ]
        for (schema, view) in views {
            #expect(documented(schema) == view.keys, "\(schema)")
        }
    }
}
