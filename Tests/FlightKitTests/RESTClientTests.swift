import FlightKit
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// The REST kit's client against real servers on 127.0.0.1: auth, headers, retries and their
/// waits (through a test clock, so nothing sleeps for real), rate limits, timeouts, cancellation
/// and masking of secrets.
struct RESTClientTests {
    /// A server echoing what it received: method, path, query and headers.
    static func echoServer() async throws -> TestServer {
        try await TestServer.start { router in
            router.get("/echo") { request, _ in
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                return Reply.object(["query": request.uri.query ?? "", "headers": headers, "path": request.uri.path])
            }
        }
    }

    struct Echo: Decodable {
        let query: String
        let headers: [String: String]
        let path: String
    }

    @Test func authSchemesSendTheirHeadersOrQueryParameter() async throws {
        let server = try await Self.echoServer()
        let cases: [(RESTAuth, String?, String?)] = [
            (.bearer("tok-123"), "authorization", "Bearer tok-123"),
            (.basic(username: "ann", password: "pa:ss"), "authorization", "Basic " + Data("ann:pa:ss".utf8).base64EncodedString()),
            (.apiKey(name: "X-API-Key", value: "key-456"), "x-api-key", "key-456"),
            (.apiKey(name: "api_key", value: "key 7&8", in: .query), nil, nil),
        ]
        for (auth, header, expected) in cases {
            let client = try RESTClient(baseURL: server.baseURL, auth: auth, log: .silent)
            let echo = try await client.get(Echo.self, "/echo", query: ["q": "1"])
            if let header {
                #expect(echo.headers[header] == expected, "\(auth)")
            } else {
                #expect(echo.query == "api_key=key%207%268&q=1", "\(echo.query)")
            }
        }
        await server.stop()
    }

    @Test func defaultHeadersUserAgentAndPerRequestHeaders() async throws {
        let server = try await Self.echoServer()
        let client = try RESTClient(baseURL: server.baseURL + "/", headers: ["Accept": "application/vnd.github+json", "X-One": "a"],
                                    log: .silent)
        let echo = try await client.get(Echo.self, "echo", query: ["since": "2026-11-20T10:00:00Z", "skip": nil],
                                        headers: ["X-One": "b"])
        #expect(echo.path == "/echo")
        #expect(echo.headers["accept"] == "application/vnd.github+json")
        #expect(echo.headers["x-one"] == "b", "a request's header wins over the client's")
        #expect(echo.headers["user-agent"]?.hasPrefix("Hangar-FlightKit/") == true, "\(echo.headers)")
        #expect(echo.query == "since=2026-11-20T10%3A00%3A00Z", "nil parameters are left out; values are encoded")
        await server.stop()
    }

    @Test func anAPIKeyInTheQueryIsSentAndMaskedEverywhere() async throws {
        let server = try await Self.echoServer()
        let lines = LogLines()
        let client = try RESTClient(baseURL: server.baseURL, auth: .apiKey(name: "api_key", value: "key-7", in: .query),
                                    log: lines.log())
        let echo = try await client.get(Echo.self, "/echo", query: ["page": "2"])
        #expect(echo.query == "api_key=key-7&page=2")
        #expect(lines.lines.count == 1)
        #expect(lines.lines.allSatisfy { $0.contains("api_key=***") && !$0.contains("key-7") }, "\(lines.lines)")
        await server.stop()
    }

    @Test func retriesA502WithExponentialBackoffThenSucceeds() async throws {
        let hits = Shared(0)
        let server = try await TestServer.start { router in
            router.get("/flaky") { _, _ in
                let hit = hits.update { value -> Int in
                    value += 1
                    return value
                }
                return hit <= 2 ? Reply.json(#"{"message":"Server Error"}"#, status: .badGateway) : Reply.json(#"{"ok":true}"#)
            }
        }
        let clock = TestClock(), lines = LogLines()
        let client = try RESTClient(baseURL: server.baseURL,
                                    retry: RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(500), jitter: 0),
                                    clock: clock, log: lines.log(requests: false))
        let response = try await client.get("/flaky")
        #expect(response.status == 200 && response.attempts == 3)
        #expect(hits.value == 3)
        #expect(clock.sleeps == [.milliseconds(500), .seconds(1)], "\(clock.sleeps)")
        #expect(lines.lines.count == 2 && lines.lines[0].contains("HTTP 502; retry 1 of 3 in 0.50 s"), "\(lines.lines)")
        await server.stop()
    }

    @Test func givesUpAfterMaxAttemptsWithTheLastStatus() async throws {
        let hits = Shared(0)
        let server = try await TestServer.start { router in
            router.get("/down") { _, _ in
                hits.update { $0 += 1 }
                return Reply.json(#"{"message":"unavailable"}"#, status: .serviceUnavailable)
            }
            router.get("/missing") { _, _ in
                hits.update { $0 += 100 }
                return Reply.json(#"{"message":"Not Found"}"#, status: .notFound)
            }
        }
        let clock = TestClock()
        let client = try RESTClient(baseURL: server.baseURL, retry: RetryPolicy(maxAttempts: 3), clock: clock, log: .silent)
        let error = await #expect(throws: RESTError.self) { try await client.get("/down") }
        #expect(error?.status == 503 && error?.attempts == 3)
        #expect(error?.description.contains("failed with HTTP 503 after 3 attempts: {\"message\":\"unavailable\"}") == true, "\(String(describing: error))")
        #expect(hits.value == 3 && clock.sleeps.count == 2)
        // Backoff with jitter stays within [base × (1 − jitter), base].
        #expect(clock.sleptSeconds[0] >= 0.5 && clock.sleptSeconds[0] <= 1.0, "\(clock.sleeps)")
        #expect(clock.sleptSeconds[1] >= 1.0 && clock.sleptSeconds[1] <= 2.0, "\(clock.sleeps)")

        // A 404 is not retried.
        let notFound = await #expect(throws: RESTError.self) { try await client.get("/missing") }
        #expect(notFound?.kind == .status(404) && notFound?.attempts == 1)
        #expect(hits.value == 103)
        await server.stop()
    }

    @Test func retriesA429AfterItsRetryAfterInSecondsOrAsADate() async throws {
        let hits = Shared(0)
        let clock = TestClock()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let server = try await TestServer.start { router in
            router.get("/limited") { _, _ in
                let hit = hits.update { value -> Int in
                    value += 1
                    return value
                }
                switch hit {
                case 1: return Reply.json(#"{"message":"slow down"}"#, status: .tooManyRequests, headers: ["Retry-After": "7"])
                case 2:
                    // An HTTP date 30 s after the (test clock's) present.
                    let date = formatter.string(from: clock.now.addingTimeInterval(30))
                    return Reply.json(#"{"message":"slow down"}"#, status: .tooManyRequests, headers: ["Retry-After": date])
                default: return Reply.json("[]")
                }
            }
        }
        let client = try RESTClient(baseURL: server.baseURL, clock: clock, log: .silent)
        let response = try await client.get("/limited")
        #expect(response.attempts == 3)
        #expect(clock.sleptSeconds.count == 2)
        #expect(clock.sleptSeconds.first == 7, "Retry-After is waited exactly, without jitter: \(clock.sleeps)")
        #expect(abs(clock.sleptSeconds.last! - 30) <= 1, "\(clock.sleeps)")
        await server.stop()
    }

    @Test func retriesTheOtherTransientStatuses() async throws {
        for status in [408, 425, 500, 504] {
            let hits = Shared(0)
            let server = try await TestServer.start { router in
                router.get("/x") { _, _ in
                    let hit = hits.update { value -> Int in
                        value += 1
                        return value
                    }
                    return hit == 1 ? Reply.json("{}", status: HTTPResponse.Status(code: status)) : Reply.json("{}")
                }
            }
            let clock = TestClock()
            let client = try RESTClient(baseURL: server.baseURL, clock: clock, log: .silent)
            #expect(try await client.get("/x").attempts == 2, "status \(status)")
            await server.stop()
        }
    }

    @Test func waitsForGitHubsRateLimitResetOnA403() async throws {
        let clock = TestClock()
        let reset = Int(clock.now.timeIntervalSince1970) + 42
        let hits = Shared(0)
        let server = try await TestServer.start { router in
            router.get("/repos/a/b") { _, _ in
                let hit = hits.update { value -> Int in
                    value += 1
                    return value
                }
                if hit == 1 {
                    return Reply.json(#"{"message":"API rate limit exceeded for 127.0.0.1."}"#, status: .forbidden,
                                      headers: ["x-ratelimit-limit": "60", "x-ratelimit-remaining": "0",
                                                "x-ratelimit-reset": String(reset), "x-ratelimit-used": "60"])
                }
                return Reply.json(#"{"full_name":"a/b"}"#, headers: ["x-ratelimit-remaining": "59", "x-ratelimit-reset": String(reset + 3600)])
            }
            router.get("/forbidden") { _, _ in
                Reply.json(#"{"message":"Resource not accessible"}"#, status: .forbidden, headers: ["x-ratelimit-remaining": "10"])
            }
        }
        let lines = LogLines()
        let client = try RESTClient(baseURL: server.baseURL, clock: clock, log: lines.log(requests: false))
        let response = try await client.get("/repos/a/b")
        #expect(response.status == 200 && response.attempts == 2)
        #expect(clock.sleeps == [.seconds(43)], "until the reset, and a second more: \(clock.sleeps)")
        #expect(response.rateLimit?.remaining == 59)
        #expect(lines.lines.contains { $0.contains("rate limit exhausted (x-ratelimit-remaining: 0); waiting 43 s for the reset at") },
                "\(lines.lines)")
        // A 403 that is not a rate limit is an error at once.
        let error = await #expect(throws: RESTError.self) { try await client.get("/forbidden") }
        #expect(error?.status == 403 && error?.attempts == 1)
        await server.stop()
    }

    @Test func aSuccessThatExhaustsTheRateLimitMakesTheNextRequestWait() async throws {
        let clock = TestClock()
        let reset = Int(clock.now.timeIntervalSince1970) + 10
        let seen = Shared<[Date]>([])
        let server = try await TestServer.start { router in
            router.get("/r") { _, _ in
                seen.update { $0.append(clock.now) }
                return Reply.json("{}", headers: ["x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset)])
            }
        }
        let client = try RESTClient(baseURL: server.baseURL, clock: clock, log: .silent)
        _ = try await client.get("/r")
        #expect(clock.sleeps.isEmpty)
        // A copy shares the rate-limit state.
        let copy = client
        _ = try await copy.get("/r")
        #expect(clock.sleeps == [.seconds(11)])
        #expect(seen.value.count == 2 && seen.value[1].timeIntervalSince1970 > Double(reset), "sent after the reset")
        await server.stop()
    }

    @Test func aRateLimitResetBeyondMaxWaitFailsAtOnce() async throws {
        let clock = TestClock()
        let reset = Int(clock.now.timeIntervalSince1970) + 7200
        let server = try await TestServer.start { router in
            router.get("/r") { _, _ in
                Reply.json(#"{"message":"API rate limit exceeded"}"#, status: .forbidden,
                           headers: ["x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset)])
            }
            router.get("/after") { _, _ in
                Reply.json("{}", status: .tooManyRequests, headers: ["Retry-After": "999999"])
            }
        }
        let client = try RESTClient(baseURL: server.baseURL, retry: RetryPolicy(maxWait: .seconds(600)), clock: clock, log: .silent)
        let error = await #expect(throws: RESTError.self) { try await client.get("/r") }
        #expect(error?.kind == .rateLimited, "\(String(describing: error))")
        #expect(error?.description.contains("more than the 600 s allowed") == true, "\(String(describing: error))")
        let other = try RESTClient(baseURL: server.baseURL, retry: RetryPolicy(maxWait: .seconds(600)), clock: TestClock(), log: .silent)
        let tooLong = await #expect(throws: RESTError.self) { try await other.get("/after") }
        #expect(tooLong?.kind == .rateLimited)
        #expect(clock.sleeps.isEmpty)
        await server.stop()
    }

    @Test(.timeLimit(.minutes(5)))
    func aSlowServerTimesOutEachAttempt() async throws {
        let hits = Shared(0)
        let finished = Shared(false)
        let server = try await TestServer.start { router in
            router.get("/slow") { _, _ in
                hits.update { $0 += 1 }
                try await Reply.stall(until: finished, atMost: .seconds(60))
                return Reply.json("{}")
            }
        }
        defer { finished.update { $0 = true } }
        let clock = TestClock()
        let client = try RESTClient(baseURL: server.baseURL, timeout: .milliseconds(300),
                                    retry: RetryPolicy(maxAttempts: 2, initialDelay: .seconds(1), jitter: 0), clock: clock, log: .silent)
        let started = ContinuousClock.now
        let error = await #expect(throws: RESTError.self) { try await client.get("/slow") }
        let elapsed = ContinuousClock.now - started
        #expect(error?.kind == .timeout && error?.attempts == 2, "\(String(describing: error))")
        #expect(error?.description.contains("timed out after 2 attempts: no response within 0.30 s") == true, "\(String(describing: error))")
        // Without the timeout the two attempts would take the server's 60 s each; the bound is loose for a loaded machine.
        #expect(elapsed < .seconds(30), "two attempts of 0.3 s, not the server's 60 s: \(elapsed)")
        #expect(clock.sleeps == [.seconds(1)])
        // Each attempt reached the server at most once; on a loaded machine an attempt can time
        // out before its request reaches the handler, so the server may have seen only one.
        #expect((1...2).contains(hits.value), "\(hits.value) requests reached the server")
        finished.update { $0 = true }
        await server.stop()
    }

    @Test func aRefusedConnectionIsRetriedThenReported() async throws {
        // A port that was free a moment ago: nothing listens there.
        let server = try await TestServer.start { _ in }
        let url = server.baseURL
        await server.stop()
        let clock = TestClock()
        // async-http-client retries a refused connection itself until the connect timeout.
        let client = try RESTClient(baseURL: url, connectTimeout: .milliseconds(200),
                                    retry: RetryPolicy(maxAttempts: 3, initialDelay: .seconds(1), jitter: 0), clock: clock, log: .silent)
        let error = await #expect(throws: RESTError.self) { try await client.get("/x") }
        #expect(error?.kind == .connection && error?.attempts == 3, "\(String(describing: error))")
        #expect(clock.sleeps == [.seconds(1), .seconds(2)])
    }

    @Test(.timeLimit(.minutes(5)))
    func cancellingTheTaskCancelsTheRequestAndTheWaits() async throws {
        let finished = Shared(false)
        let server = try await TestServer.start { router in
            router.get("/slow") { _, _ in
                try await Reply.stall(until: finished, atMost: .seconds(60))
                return Reply.json("{}")
            }
            router.get("/busy") { _, _ in Reply.json("{}", status: .serviceUnavailable, headers: ["Retry-After": "60"]) }
        }
        defer { finished.update { $0 = true } }
        let client = try RESTClient(baseURL: server.baseURL, timeout: .seconds(30), log: .silent)
        let started = ContinuousClock.now
        let request = Task { try await client.get("/slow") }
        try await Task.sleep(for: .milliseconds(200))
        request.cancel()
        await #expect(throws: CancellationError.self) { try await request.value }
        // A Retry-After wait on the real clock ends too.
        let waiting = Task { try await client.get("/busy") }
        try await Task.sleep(for: .milliseconds(300))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        // Uncancelled, the two would take 60 s each.
        #expect(ContinuousClock.now - started < .seconds(30))
        finished.update { $0 = true }
        await server.stop()
    }

    @Test func secretsNeverAppearInErrorsLogsOrDescriptions() async throws {
        let token = "ghp_TopSecretToken123", key = "k3y-Secret/+="
        let server = try await TestServer.start { router in
            // A careless server echoing the request's credentials in its error body.
            router.get("/leak") { request, _ in
                let body = "bad credentials \(request.header("Authorization") ?? "") for \(request.uri.description)"
                return Reply.object(["message": body], status: .unauthorized)
            }
        }
        let lines = LogLines()
        for auth in [RESTAuth.bearer(token), .apiKey(name: "api_key", value: key, in: .query),
                     .basic(username: "ann", password: token)] {
            let client = try RESTClient(baseURL: server.baseURL, auth: auth, retry: .none, log: lines.log(requests: true))
            let error = await #expect(throws: RESTError.self) { try await client.get("/leak", query: ["token": "abc-other"]) }
            let texts = [String(describing: error), error?.url ?? "", error?.detail ?? "", client.description, auth.description,
                         String(reflecting: auth), String(describing: client)]
            var dumped = ""
            dump(auth, to: &dumped)
            for text in texts + [dumped] + lines.lines {
                #expect(!text.contains(token) && !text.contains(key) && !text.contains("k3y-Secret%2F%2B%3D"), "\(text)")
                #expect(!text.contains(Data("ann:\(token)".utf8).base64EncodedString()), "\(text)")
                #expect(!text.contains("abc-other"), "a sensitive parameter name masks its value: \(text)")
            }
            #expect(error?.status == 401)
            #expect(error?.url.contains("token=***") == true, "\(error?.url ?? "")")
        }
        #expect(lines.lines.count == 3 && lines.lines.allSatisfy { $0.contains("→ 401") }, "\(lines.lines)")
        // What the kit masks on request, for a flight's own lines.
        let client = try RESTClient(baseURL: server.baseURL, auth: .bearer(token), log: .silent)
        #expect(client.redact("https://u:pw@x.test/a?api_key=1&b=2 \(token)") == "https://u:***@x.test/a?api_key=***&b=2 ***")
        await server.stop()
    }

    @Test func decodesJSONIntoDecodableValuesAndRows() async throws {
        let server = try await TestServer.start { router in
            router.get("/repo") { _, _ in Reply.json(#"{"full_name":"a/b","stargazers_count":12,"topics":["x"]}"#) }
            router.get("/wrapped") { _, _ in Reply.json(#"{"total":2,"data":{"items":[{"id":1},{"id":2}]}}"#) }
            router.get("/broken") { _, _ in Reply.json(#"{"full_name": 3"#) }
        }
        struct Repo: Decodable {
            let full_name: String
            let stargazers_count: Int
        }
        let client = try RESTClient(baseURL: server.baseURL, log: .silent)
        let repo = try await client.get(Repo.self, "/repo")
        #expect(repo.full_name == "a/b" && repo.stargazers_count == 12)
        let rows = try await client.get("/repo").rows()
        #expect(rows.count == 1)
        let wrapped = try await client.get("/wrapped")
        #expect(try wrapped.rows(at: "data.items") == [.object([("id", .int(1))]), .object([("id", .int(2))])])
        #expect(try wrapped.value(at: "$.total") == .int(2))
        let error = await #expect(throws: RESTError.self) { try await client.get(Repo.self, "/broken") }
        #expect(error?.kind == .decoding, "\(String(describing: error))")
        await server.stop()
    }

    @Test func badURLsAreErrorsWithoutARequest() async throws {
        #expect(throws: RESTError.self) { try RESTClient(baseURL: "not a url") }
        #expect(throws: RESTError.self) { try RESTClient(baseURL: "ftp://example.com") }
        let client = try RESTClient(log: .silent)
        let error = await #expect(throws: RESTError.self) { try await client.get("/relative") }
        #expect(error?.kind == .invalidURL)
    }

    @Test func incrementalStartValuesAsRequestParameters() {
        #expect(IngestValue.timestamp(1_795_600_800_000_000).restParameter == "2026-11-25T10:00:00Z")
        #expect(IngestValue.timestamp(1_795_600_800_000_123).restParameter == "2026-11-25T10:00:00.000123Z")
        #expect(IngestValue.string("2026-11-20T10:00:00Z").restParameter == "2026-11-20T10:00:00Z")
        #expect(IngestValue.int(42).restParameter == "42")
        #expect(IngestValue.date(20_000).restParameter == "2024-10-04")
        #expect(IngestValue.null.restParameter == nil)
    }
}
