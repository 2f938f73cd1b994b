import Hummingbird

/// `GET /api/v1/openapi`: the OpenAPI 3.1 document.
enum OpenAPIRoutes {
    static func register(on routes: RouterGroup<APIRequestContext>) {
        // Built once: it describes the code, which does not change while the server runs.
        let document = OpenAPIDocument.document
        routes.get("/api/v1/openapi") { _, _ in
            APIResponse.json(document)
        }
    }
}
