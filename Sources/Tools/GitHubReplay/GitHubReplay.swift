import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// A local stand-in for the GitHub REST API, for the github_repo_stats flight offline and its
/// tests: sample data shaped like GitHub's payloads, Link pagination, `since` filtering,
/// `x-ratelimit-*` headers and injectable transient failures. See `ReplayOptions.usage`.
@main
struct GitHubReplay {
    static func main() async {
        let options: ReplayOptions
        do {
            options = try ReplayOptions(arguments: Array(CommandLine.arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") ? 0 : 2)
        }
        let state = ReplayState(options: options)
        let api = SampleAPI(fixtures: options.fixtures)
        let router = Router()
        addRoutes(to: router, api: api, state: state, options: options)

        var logger = Logger(label: "GitHubReplay")
        logger.logLevel = .error
        let host = options.host
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: options.port), serverName: "GitHubReplay"),
            onServerRunning: { channel in
                say("listening on http://\(host):\(channel.localAddress?.port ?? options.port)")
                say("serving SAMPLE DATA from \(options.fixtures.path) (generation \(options.generation))")
            },
            logger: logger
        )
        do {
            try await app.runService()
        } catch {
            FileHandle.standardError.write(Data("GitHubReplay: \(error)\n".utf8))
            exit(1)
        }
    }

    static func addRoutes(to router: Router<BasicRequestContext>, api: SampleAPI, state: ReplayState, options: ReplayOptions) {
        router.get("/repos/:owner/:repo") { request, context in
            let owner = context.parameters.get("owner") ?? "", repo = context.parameters.get("repo") ?? ""
            return await serve(request, state: state, quiet: options.quiet) { generation in
                api.repository(owner: owner, repo: repo, generation: generation)
            }
        }
        router.get("/repos/:owner/:repo/issues") { request, context in
            let owner = context.parameters.get("owner") ?? "", repo = context.parameters.get("repo") ?? ""
            let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            let url = "http://\(request.head.authority ?? "\(options.host):\(options.port)")\(request.uri.path)"
            return await serve(request, state: state, quiet: options.quiet) { generation in
                api.issues(owner: owner, repo: repo, generation: generation, query: query, requestURL: url)
            }
        }

        router.post("/_replay/generation/:name") { _, context in
            let name = context.parameters.get("name") ?? ""
            var isFolder: ObjCBool = false
            let folder = options.fixtures.appendingPathComponent(name).path
            guard !name.contains("/"), name != "..", FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder),
                  isFolder.boolValue else {
                return json(404, ["error": "no generation \(name) in \(options.fixtures.path)"])
            }
            await state.setGeneration(name)
            if !options.quiet { say("now serving generation \(name)") }
            return json(200, ["generation": name])
        }
        router.post("/_replay/fail") { request, _ in
            let count = request.uri.queryParameters["count"].flatMap { Int($0) } ?? 1
            let status = request.uri.queryParameters["status"].flatMap { Int($0) } ?? 502
            await state.injectFailures(count, status: status)
            return json(200, ["failures_pending": count, "status": status])
        }
        router.post("/_replay/rate-limit/reset") { _, _ in
            await state.resetRateLimit()
            let limit = await state.rateLimit
            return json(200, ["remaining": limit.remaining, "reset": limit.reset])
        }
        router.get("/_replay/requests") { _, _ in
            let requests = await state.requests
            let body = (try? JSONEncoder().encode(requests)) ?? Data("[]".utf8)
            return response(200, body: body, headers: [])
        }
        router.get("/_replay/status") { _, _ in
            json(200, ["generation": await state.generation, "failures_pending": await state.failuresPending,
                       "requests": await state.requests.count, "rate_limit_reset": await state.rateLimit.reset])
        }
    }

    /// An API request: an injected failure, the rate limit, or the route's answer, with GitHub's
    /// headers; then the line on standard output and the record.
    static func serve(_ request: Request, state: ReplayState, quiet: Bool,
                      _ answer: @Sendable (String) -> SampleAPI.Answer) async -> Response {
        var result: SampleAPI.Answer
        switch await state.admit() {
        case .fail(let status):
            result = SampleAPI.Answer(status: status, body: Data(#"{"message":"Server Error (injected by GitHubReplay)"}"#.utf8))
        case .rateLimited:
            result = SampleAPI.message(403, "API rate limit exceeded for 127.0.0.1. (SAMPLE: GitHubReplay's --rate-limit)",
                                       documentation: "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting")
        case .serve:
            result = answer(await state.generation)
        }
        let limit = await state.rateLimit
        result.headers += [
            ("x-ratelimit-limit", String(limit.limit)), ("x-ratelimit-remaining", String(limit.remaining)),
            ("x-ratelimit-reset", String(limit.reset)), ("x-ratelimit-used", String(limit.used)),
            ("x-ratelimit-resource", "core"), ("x-github-api-version-selected", "2022-11-28"),
        ]
        let query = request.uri.query ?? ""
        await state.record(.init(method: request.method.rawValue, path: request.uri.path, query: query, status: result.status))
        if !quiet {
            say("\(request.method.rawValue) \(request.uri.path)\(query.isEmpty ? "" : "?" + query) → \(result.status)")
        }
        return response(result.status, body: result.body, headers: result.headers)
    }

    /// A line on standard output, written at once (unbuffered), so a reader of the pipe sees the
    /// port as soon as the server listens.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func json(_ status: Int, _ object: [String: Any]) -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return response(status, body: body, headers: [])
    }

    static func response(_ status: Int, body: Data, headers: [(String, String)]) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return Response(status: HTTPResponse.Status(code: status), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
