import Foundation
import HangarAccount
import HangarFlights
import HangarHTTP
import Hummingbird
import HangarTestSupport
import Testing

/// The OpenAPI document describes exactly the routes the router has.
struct OpenAPITests {
    /// The router's routes as OpenAPI path templates (`**` is the catch-all `{path}`).
    static func routes() async throws -> Set<String> {
        let scratch = try ScratchDirectory()
        let home = HangarHome(scratch.url.appendingPathComponent("home"))
        let api = HangarAPI(home: home, flights: try Flights(home: home), hangarExecutable: URL(fileURLWithPath: "/bin/true"))
        let router = HangarRouter.build(api: api)
        await api.close()
        return Set(router.routes.map { route in
            "\(route.method.rawValue.lowercased()) \(route.path.description.replacingOccurrences(of: "**", with: "{path}"))"
        })
    }

    static func documented(_ document: [String: Any]) -> Set<String> {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        return Set(paths.flatMap { path, operations in operations.keys.filter(methods.contains).map { "\($0) \(path)" } })
    }

    @Test func everyRouteIsInTheDocumentAndEveryDocumentedRouteExists() async throws {
        let data = Data(OpenAPIDocument.text.utf8)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let routes = try await Self.routes()
        let documented = Self.documented(document)
        #expect(routes.count >= 25)
        #expect(routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented).sorted())")
        // /metrics is registered by the caller that adds it (ServeCommand); everything else exists.
        #expect(documented.subtracting(routes).subtracting(["get /metrics"]).isEmpty,
                "documented but not routed: \(documented.subtracting(routes).sorted())")
    }

    @Test func theDocumentIsOpenAPI31WithResolvableReferences() throws {
        let text = OpenAPIDocument.text
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let components = try #require(document["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        let parameters = try #require(components["parameters"] as? [String: Any])
        // Every $ref points at something defined.
        let references = text.components(separatedBy: "\"$ref\":\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(!references.isEmpty)
        for reference in Set(references) {
            let name = String(reference.split(separator: "/").last ?? "")
            if reference.hasPrefix("#/components/schemas/") {
                #expect(schemas[name] != nil, "\(reference)")
            } else {
                #expect(reference.hasPrefix("#/components/parameters/") && parameters[name] != nil, "\(reference)")
            }
        }
        // Every operation has an id, a summary and responses; ids are unique.
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var ids: [String] = []
        for (path, operations) in paths {
            for (method, value) in operations where method != "parameters" {
                let operation = try #require(value as? [String: Any], "\(method) \(path)")
                ids.append(operation["operationId"] as? String ?? "")
                #expect(operation["summary"] is String, "\(method) \(path)")
                #expect((operation["responses"] as? [String: Any])?.isEmpty == false, "\(method) \(path)")
            }
        }
        #expect(Set(ids).count == ids.count)
        #expect(!ids.contains(""))
        // The error schema lists every code the API uses.
        #expect(text.contains("\"method_not_allowed\""))
    }

    @Test(.timeLimit(.minutes(5)), .fullRunOnly)
    func theServerServesTheDocument() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let served = try await server.client().get("/api/v1/openapi")
        #expect(served.status == 200)
        #expect(served.headers.first(name: "Content-Type")?.hasPrefix("application/json") == true)
        #expect(served.json["openapi"] as? String == "3.1.0")
        #expect(Self.documented(served.json) == Self.documented(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any] ?? [:]))
    }
}
