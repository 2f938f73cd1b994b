import Foundation
import HangarAccount
import HangarFlights
import HangarHTTP
import HangarTestSupport
import Testing

/// The server as a library, in this process: knobs a real `hangar serve` keeps at their defaults
/// (a 15 s keep-alive) turned down so their effect shows in a test.
struct InProcessServerTests {
    @Test(.timeLimit(.minutes(5)))
    func idleLogStreamsGetKeepAlivePingsAndEndWhenTheRunFinishes() async throws {
        let scratch = try ScratchDirectory()
        let home = HangarHome(scratch.url.appendingPathComponent("home"))
        let token = try ServerToken.ensure(in: home).token
        let flights = try Flights(home: home)
        _ = try flights.create(NewFlight(name: "idle", sourceCode: "print(1)"))
        // A run nobody supervises stays PENDING until the test finishes it: the stream is idle.
        let run = try flights.triggerRun(.name("idle"))

        var options = HangarAPI.Options()
        options.streamKeepAlive = .milliseconds(200)
        options.streamPollInterval = .milliseconds(20)
        let api = HangarAPI(home: home, flights: flights, hangarExecutable: URL(fileURLWithPath: "/bin/false"), options: options)
        let readiness = ServerReadiness()
        let server = HangarHTTPServer(host: "127.0.0.1", port: 0, api: api, readiness: readiness)
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        let port = try #require(await readiness.port())
        let client = APIClient(base: "http://127.0.0.1:\(port)", token: token)

        var raw: [String] = []
        var finished = false
        let outcome = try await client.streamRaw("/api/v1/runs/\(run.id.uuidString.lowercased())/logs/stream") { block in
            raw.append(block)
            // After two pings with nothing else to say, the run ends.
            if !finished, raw.filter({ $0 == ": ping" }).count >= 2 {
                finished = true
                _ = try flights.markFinished(run.id, .succeeded)
            }
            return true
        }
        #expect(outcome.closedByServer)
        #expect(raw.first == "retry: 1000")
        #expect(raw.dropFirst().first?.hasPrefix("event: status\ndata: ") == true)
        #expect(raw.filter { $0 == ": ping" }.count >= 2)
        #expect(raw.last?.hasPrefix("event: end\ndata: ") == true)
        #expect(raw.last?.contains("RUN_STATUS_SUCCEEDED") == true)
    }
}

extension APIClient {
    /// The stream's raw blocks (events and comments), for what ``stream`` leaves out.
    func streamRaw(_ path: String, onBlock: (String) async throws -> Bool) async throws -> (status: Int, closedByServer: Bool) {
        var pending = ""
        return try await streamChunks(path) { chunk in
            pending += chunk
            while let end = pending.range(of: "\n\n") {
                let block = String(pending[..<end.lowerBound])
                pending = String(pending[end.upperBound...])
                if try await !onBlock(block) { return false }
            }
            return true
        }
    }
}
