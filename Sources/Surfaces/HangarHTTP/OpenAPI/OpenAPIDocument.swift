import HangarViews

/// The OpenAPI 3.1 description of the API, served at `/api/v1/openapi`. Built in Swift beside the
/// routes it describes; a test checks that every route the router has appears here, and the
/// reverse.
public enum OpenAPIDocument {
    static let version = "1.0.0"

    /// The document as JSON text.
    public static var text: String { document.text }

    static var document: JSONValue {
        .object([
            ("openapi", .string("3.1.0")),
            ("info", .object([
                ("title", .string("Hangar API")),
                ("version", .string(version)),
                ("description", .string("""
                    The HTTP API of `hangar serve`: flights, versions, runs, logs (paged and live), secrets \
                    (write-only values), schedules, and the account's DuckDB databases. JSON everywhere; \
                    timestamps are ISO-8601 UTC with microseconds. Every endpoint except /healthz and the \
                    dashboard's files needs the API token (`hangar token show`) as a Bearer token, or the \
                    dashboard's session cookie. Errors are JSON (`Error`), 4xx for the caller's mistakes.
                    """)),
            ])),
            ("servers", .array([.object([("url", .string("/"))])])),
            ("security", .array([.object([("bearer", .array([]))]), .object([("session", .array([]))])])),
            ("tags", .array(["flights", "runs", "logs", "secrets", "schedules", "data", "session", "server"].map {
                .object([("name", .string($0))])
            })),
            ("paths", .object(Paths.all)),
            ("components", .object([
                ("securitySchemes", .object([
                    ("bearer", .object([("type", .string("http")), ("scheme", .string("bearer")),
                                        ("description", .string("The API token: `hangar token show`."))])),
                    ("session", .object([("type", .string("apiKey")), ("in", .string("cookie")),
                                         ("name", .string(SessionStore.cookieName)),
                                         ("description", .string("Set by POST /api/v1/session."))])),
                ])),
                ("parameters", .object(Parameters.components)),
                ("schemas", .object(Schemas.all)),
            ])),
        ])
    }
}

// MARK: - Building blocks

/// Small constructors that keep the document readable.
enum OpenAPI {
    static func ref(_ schema: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(schema)"))]) }
    static func parameterRef(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/parameters/\(name)"))]) }

    static func type(_ name: String, _ description: String? = nil, nullable: Bool = false, format: String? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", nullable ? .array([.string(name), .string("null")]) : .string(name))]
        if let format { fields.append(("format", .string(format))) }
        if let description { fields.append(("description", .string(description))) }
        return .object(fields)
    }

    static func string(_ description: String? = nil, nullable: Bool = false) -> JSONValue { type("string", description, nullable: nullable) }
    static func integer(_ description: String? = nil, nullable: Bool = false) -> JSONValue { type("integer", description, nullable: nullable) }
    static func number(_ description: String? = nil, nullable: Bool = false) -> JSONValue { type("number", description, nullable: nullable) }
    static func boolean(_ description: String? = nil) -> JSONValue { type("boolean", description) }
    static func time(_ description: String? = nil, nullable: Bool = false) -> JSONValue {
        type("string", description, nullable: nullable, format: "date-time")
    }
    static func uuid(_ description: String? = nil) -> JSONValue { type("string", description, format: "uuid") }

    static func enumeration(_ values: [String], _ description: String? = nil, nullable: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("type", nullable ? .array([.string("string"), .string("null")]) : .string("string")),
            ("enum", .array(values.map { .string($0) } + (nullable ? [.null] : []))),
        ]
        if let description { fields.append(("description", .string(description))) }
        return .object(fields)
    }

    static func array(_ items: JSONValue, _ description: String? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string("array")), ("items", items)]
        if let description { fields.append(("description", .string(description))) }
        return .object(fields)
    }

    static func stringMap(_ description: String? = nil, nullable: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("type", nullable ? .array([.string("object"), .string("null")]) : .string("object")),
            ("additionalProperties", .object([("type", .string("string"))])),
        ]
        if let description { fields.append(("description", .string(description))) }
        return .object(fields)
    }

    static func nullable(_ schema: String) -> JSONValue {
        .object([("oneOf", .array([ref(schema), .object([("type", .string("null"))])]))])
    }

    static func object(_ properties: [(String, JSONValue)], required: [String]? = nil, description: String? = nil,
                       closed: Bool = false) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string("object"))]
        if let description { fields.append(("description", .string(description))) }
        fields.append(("properties", .object(properties)))
        fields.append(("required", .array((required ?? properties.map(\.0)).map { .string($0) })))
        if closed { fields.append(("additionalProperties", .bool(false))) }
        return .object(fields)
    }

    /// `{"items": [...], "limit", "offset", "next_offset"}`.
    static func page(of item: String) -> JSONValue {
        object([
            ("items", array(ref(item))),
            ("limit", integer()),
            ("offset", integer()),
            ("next_offset", integer("The offset of the next page; null when this is the last.", nullable: true)),
        ])
    }

    static func pathParameter(_ name: String, _ description: String, schema: JSONValue = string()) -> JSONValue {
        .object([("name", .string(name)), ("in", .string("path")), ("required", .bool(true)),
                 ("description", .string(description)), ("schema", schema)])
    }

    static func query(_ name: String, _ description: String, schema: JSONValue, required: Bool = false) -> JSONValue {
        .object([("name", .string(name)), ("in", .string("query")), ("required", .bool(required)),
                 ("description", .string(description)), ("schema", schema)])
    }

    static func header(_ name: String, _ description: String, schema: JSONValue) -> JSONValue {
        .object([("name", .string(name)), ("in", .string("header")), ("required", .bool(false)),
                 ("description", .string(description)), ("schema", schema)])
    }

    static func jsonBody(_ schema: JSONValue, required: Bool = true, description: String? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("required", .bool(required)),
            ("content", .object([("application/json", .object([("schema", schema)]))])),
        ]
        if let description { fields.append(("description", .string(description))) }
        return .object(fields)
    }

    static func json(_ description: String, _ schema: JSONValue) -> JSONValue {
        .object([("description", .string(description)),
                 ("content", .object([("application/json", .object([("schema", schema)]))]))])
    }

    static func content(_ description: String, type: String, _ schema: JSONValue = string()) -> JSONValue {
        .object([("description", .string(description)), ("content", .object([(type, .object([("schema", schema)]))]))])
    }

    static func empty(_ description: String) -> JSONValue {
        .object([("description", .string(description))])
    }

    /// The error responses an operation can give, by status.
    static func errors(_ statuses: [Int]) -> [(String, JSONValue)] {
        let words = [
            400: "Invalid input: `parameter` names the field or query parameter at fault.",
            401: "No valid token or session.",
            404: "Not found.",
            405: "The path exists, with other methods (see `Allow`).",
            409: "Conflict with the current state (a name taken, a run already finished, a database busy).",
            413: "The request body is larger than 1 MiB.",
            415: "The body is not sent as application/json.",
            503: "Degraded.",
            504: "The statement ran past timeout_sec.",
        ]
        return statuses.map { (String($0), json(words[$0] ?? "Error.", ref("Error"))) }
    }

    static func operation(
        _ id: String, tag: String, summary: String, description: String? = nil, parameters: [JSONValue] = [],
        body: JSONValue? = nil, responses: [(String, JSONValue)], errors statuses: [Int] = [], public isPublic: Bool = false
    ) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("operationId", .string(id)), ("tags", .array([.string(tag)])), ("summary", .string(summary)),
        ]
        if let description { fields.append(("description", .string(description))) }
        if !parameters.isEmpty { fields.append(("parameters", .array(parameters))) }
        if let body { fields.append(("requestBody", body)) }
        var allErrors = statuses
        if !isPublic, !allErrors.contains(401) { allErrors.append(401) }
        if body != nil { allErrors += [400, 413, 415].filter { !allErrors.contains($0) } }
        fields.append(("responses", .object(responses + errors(allErrors.sorted()))))
        if isPublic { fields.append(("security", .array([]))) }
        return .object(fields)
    }
}
