import FlightKit
import Foundation
import HTTPTypes
import Hummingbird
import HangarTestSupport
import Testing

/// Each paginator against a real server on 127.0.0.1, and pages feeding a pipeline with the
/// incremental cursor as a request parameter.
struct RESTPaginatorTests {
    /// Rows 1…total as `{"id": n}`.
    static func rows(_ range: Range<Int>) -> [[String: Any]] { range.map { ["id": $0] } }

    static func ids(_ pages: [RESTPage]) throws -> [Int] {
        try pages.flatMap { try $0.rows() }.map { row -> Int in
            guard case .object(let fields) = row, case .int(let id)? = fields.first(where: { $0.key == "id" })?.value else { return -1 }
            return Int(id)
        }
    }

    static func collect(_ pages: RESTPages) async throws -> [RESTPage] {
        var all: [RESTPage] = []
        for try await page in pages { all.append(page) }
        return all
    }

    @Test func linkHeaderFollowsRelNextWithTheWholeQuery() async throws {
        let queries = Shared<[String]>([])
        let server = try await TestServer.start { router in
            router.get("/items") { request, _ in
                queries.update { $0.append(request.uri.query ?? "") }
                let page = Int(request.query("page") ?? "1") ?? 1
                let base = "http://\(request.head.authority ?? "")/items?filter=\(request.query("filter") ?? "")&per_page=2"
                var links: [String] = []
                if page < 3 { links += ["<\(base)&page=\(page + 1)>; rel=\"next\"", "<\(base)&page=3>; rel=\"last\""] }
                if page > 1 { links.append("<\(base)&page=1>; rel=\"first\"") }
                let headers = links.isEmpty ? [:] : ["Link": links.joined(separator: ", ")]
                return Reply.object(Self.rows((page - 1) * 2 + 1..<page * 2 + 1), headers: headers)
            }
        }
        let client = try RESTClient(baseURL: server.baseURL, log: .silent)
        let pages = try await Self.collect(client.pages("/items", query: ["filter": "open", "per_page": "2"]))
        #expect(pages.map(\.number) == [1, 2, 3])
        #expect(try Self.ids(pages) == [1, 2, 3, 4, 5, 6])
        #expect(queries.value == ["filter=open&per_page=2", "filter=open&per_page=2&page=2", "filter=open&per_page=2&page=3"])
        #expect(pages[0].response.links["last"]?.hasSuffix("page=3") == true)
        // maxPages stops early.
        #expect(try await Self.collect(client.pages("/items", query: ["filter": "open"], maxPages: 2)).count == 2)
        await server.stop()
    }

    @Test func jsonLinkFollowsANextURLInTheBody() async throws {
        let server = try await TestServer.start { router in
            router.get("/feed") { request, _ in
                let after = Int(request.query("after") ?? "0") ?? 0
                let next: Any = after < 4 ? "/feed?after=\(after + 2)" : NSNull()
                return Reply.object(["data": Self.rows(after + 1..<after + 3), "paging": ["next": next]])
            }
        }
        let client = try RESTClient(baseURL: server.baseURL, log: .silent)
        let pages = try await Self.collect(client.pages("/feed", paginator: .jsonLink(path: "paging.next"), dataPath: "data"))
        #expect(try Self.ids(pages) == [1, 2, 3, 4, 5, 6])
        #expect(pages.count == 3)
        await server.stop()
    }

    @Test func cursorSendsTheResponsesCursorBack() async throws {
        let cursors = Shared<[String]>([])
        let server = try await TestServer.start { router in
            router.get("/events") { request, _ in
                let cursor = request.query("cursor")
                cursors.update { $0.append(cursor ?? "-") }
                switch cursor {
                case nil: return Reply.object(["items": Self.rows(1..<3), "meta": ["next_cursor": "c2"]])
                case "c2": return Reply.object(["items": Self.rows(3..<5), "meta": ["next_cursor": "c3"]])
                default: return Reply.object(["items": Self.rows(5..<6), "meta": ["next_cursor": NSNull()]])
                }
            }
        }
        let client = try RESTClient(baseURL: server.baseURL, log: .silent)
        let pages = try await Self.collect(client.pages("/events", query: ["kind": "push"],
                                                        paginator: .cursor(path: "$.meta.next_cursor", parameter: "cursor"),
                                                        dataPath: "items"))
        #expect(try Self.ids(pages) == [1, 2, 3, 4, 5])
        #expect(cursors.value == ["-", "c2", "c3"])
        await server.stop()
    }

    @Test func offsetStopsAtTheTotalOrAtAnEmptyPage() async throws {
        let requests = Shared<[String]>([])
        let server = try await TestServer.start { router in
            router.get("/records") { request, _ in
                requests.update { $0.append(request.uri.query ?? "") }
                let offset = Int(request.query("offset") ?? request.query("skip") ?? "0") ?? 0, limit = Int(request.query("limit") ?? "10") ?? 10
                return Reply.object(["total": 7, "records": Self.rows(offset + 1..<max(offset + 1, min(8, offset + limit + 1)))])
            }
        }
        let client = try RESTClient(baseURL: server.baseURL, log: .silent)
        let withTotal = try await Self.collect(client.pages("/records", paginator: .offset(limit: 3, totalPath: "total"),
                                                            dataPath: "records"))
        #expect(try Self.ids(withTotal) == Array(1...7))
        #expect(requests.value == ["limit=3&offset=0", "limit=3&offset=3", "limit=3&offset=6"])

        requests.update { $0 = [] }
        let untilEmpty = try await Self.collect(client.pages("/records", paginator: .offset(limit: 3, offsetParameter: "skip",
                                                                                           limitParameter: "limit"),
                                                             dataPath: "records"))
        let lastRows = try untilEmpty.last?.rows()
        #expect(untilEmpty.count == 4 && lastRows?.isEmpty == true)
        #expect(requests.value.count == 4)
        await server.stop()
    }

    @Test func pageNumberStopsAtTheLastPageOrAnEmptyOne() async throws {
        let pagesAsked = Shared<[String]>([])
        let server = try await TestServer.start { router in
            router.get("/list") { request, _ in
                let page = Int(request.query("p") ?? "1") ?? 1
                pagesAsked.update { $0.append(String(page)) }
                let rows = page <= 2 ? Self.rows((page - 1) * 3 + 1..<page * 3 + 1) : []
                return Reply.object(rows)
            }
            router.get("/wrapped") { request, _ in
                let page = Int(request.query("page") ?? "1") ?? 1
                return Reply.object(["results": Self.rows(page..<page + 1), "total_pages": 2])
            }
        }
        let client = try RESTClient(baseURL: server.baseURL, log: .silent)
        let pages = try await Self.collect(client.pages("/list", paginator: .pageNumber(parameter: "p")))
        #expect(try Self.ids(pages) == [1, 2, 3, 4, 5, 6])
        #expect(pagesAsked.value == ["1", "2", "3"])
        let wrapped = try await Self.collect(client.pages("/wrapped", paginator: .pageNumber(totalPagesPath: "total_pages"),
                                                          dataPath: "results"))
        #expect(try Self.ids(wrapped) == [1, 2])
        await server.stop()
    }

    @Test func aFailingPageEndsTheSequenceWithItsError() async throws {
        let server = try await TestServer.start { router in
            router.get("/items") { request, _ in
                request.query("page") == nil
                    ? Reply.object(Self.rows(1..<3), headers: ["Link": "</items?page=2>; rel=\"next\""])
                    : Reply.json(#"{"message":"gone"}"#, status: .gone)
            }
        }
        let client = try RESTClient(baseURL: server.baseURL, log: .silent)
        var seen = 0
        let error = await #expect(throws: RESTError.self) {
            for try await _ in client.pages("/items") { seen += 1 }
        }
        #expect(seen == 1 && error?.status == 410)
        await server.stop()
    }

    /// Pages feed a resource directly, the incremental's start value going out as `since=`:
    /// the second run asks only for what is new and loads only that.
    @Test func pagesFeedAPipelineWithTheIncrementalCursorAsARequestParameter() async throws {
        // Event n is updated at 2026-11-2n, tagged tn.
        let data = Shared(Array(1...5))
        let sinces = Shared<[String]>([])
        let server = try await TestServer.start { router in
            router.get("/events") { request, _ in
                let since = request.query("since")
                sinces.update { $0.append(since ?? "-") }
                let selected = data.value.map { n -> [String: Any] in
                    ["id": n, "updated_at": "2026-11-2\(n)T10:00:00Z", "tags": ["t\(n)"]]
                }.filter { since == nil || ($0["updated_at"] as! String) >= since! }
                let page = Int(request.query("page") ?? "1") ?? 1
                let slice = Array(selected.dropFirst((page - 1) * 2).prefix(2))
                let more = page * 2 < selected.count
                let sinceQuery = since.map { "&since=\($0)" } ?? ""
                return Reply.object(slice, headers: more ? ["Link": "</events?page=\(page + 1)\(sinceQuery)>; rel=\"next\""] : [:])
            }
        }
        let scratch = try ScratchDirectory()
        let databasePath = scratch.path("events.duckdb")
        let client = try RESTClient(baseURL: server.baseURL, log: .silent)
        let resource = Resource.rest("events", client: client, path: "/events", incrementalParameter: "since",
                                     hints: TableHints(table: "events", writeDisposition: .merge, primaryKey: ["id"]),
                                     incremental: Incremental(cursorPath: "updated_at"))
        let pipeline = try Pipeline(name: "events", destination: .duckdb(path: databasePath), dataset: "api",
                                    pipelinesDirectory: scratch.url.appendingPathComponent("pipelines"))
        let first = try await pipeline.run(resource)
        #expect(first.rowCounts["events"] == 5, "\(first)")

        data.update { $0.append(6) }
        let second = try await pipeline.run(resource)
        #expect(second.rowCounts["events"] == 1, "the row at the cursor is not loaded twice: \(second)")
        #expect(sinces.value == ["-", "-", "-", "2026-11-25T10:00:00Z"], "\(sinces.value)")

        let database = try Database(path: databasePath)
        let connection = try database.connect()
        #expect(try connection.scalar("SELECT count(*) FROM api.events", as: Int64.self) == 6)
        #expect(try connection.scalar("SELECT count(*) FROM api.events__tags", as: Int64.self) == 6)
        await server.stop()
    }
}
