import HangarViews

/// The document's paths, one entry per route (`{name}` for path parameters).
extension OpenAPIDocument {
    enum Parameters {
        typealias O = OpenAPI

        static var components: [(String, JSONValue)] {
            [
                ("flight", O.pathParameter("flight", "The flight's name (any case) or id.")),
                ("run_id", O.pathParameter("run_id", "The run's id.", schema: O.uuid())),
                ("limit", O.query("limit", "Items per page, 1-1000.", schema: .object([
                    ("type", .string("integer")), ("minimum", .int(1)), ("maximum", .int(Page.maxLimit)), ("default", .int(Page.defaultLimit)),
                ]))),
                ("offset", O.query("offset", "Items to skip.", schema: .object([
                    ("type", .string("integer")), ("minimum", .int(0)), ("default", .int(0)),
                ]))),
            ]
        }

        static var paging: [JSONValue] { [O.parameterRef("limit"), O.parameterRef("offset")] }
    }

    enum Paths {
        typealias O = OpenAPI

        static var all: [(String, JSONValue)] {
            [
                ("/healthz", .object([("get", O.operation(
                    "getHealth", tag: "server", summary: "Scheduler liveness and store access (no token needed).",
                    responses: [("200", O.json("Healthy.", O.ref("Health")))], errors: [503], public: true))])),
                ("/metrics", .object([("get", O.operation(
                    "getMetrics", tag: "server", summary: "Prometheus metrics (text format).",
                    responses: [("200", O.content("Metrics.", type: "text/plain"))]))])),
                ("/", .object([("get", O.operation(
                    "getDashboard", tag: "server", summary: "The dashboard (no token needed; it logs in itself).",
                    responses: [("200", O.content("index.html", type: "text/html"))], public: true))])),
                ("/assets/{path}", .object([("get", O.operation(
                    "getDashboardAsset", tag: "server", summary: "The dashboard's scripts, styles and images.",
                    parameters: [O.pathParameter("path", "A file under the dashboard's assets folder.")],
                    responses: [("200", O.content("The file.", type: "*/*"))], errors: [404], public: true))])),
                ("/api/v1/openapi", .object([("get", O.operation(
                    "getOpenAPI", tag: "server", summary: "This document.",
                    responses: [("200", O.json("OpenAPI 3.1.", .object([("type", .string("object"))])))]))])),
                ("/api/v1/session", .object([
                    ("post", O.operation(
                        "login", tag: "session", summary: "Log in: exchange the token for an HttpOnly session cookie.",
                        body: O.jsonBody(O.ref("Login")),
                        responses: [("204", O.empty("Logged in; Set-Cookie: hangar_session=…; HttpOnly; SameSite=Strict."))],
                        public: true)),
                    ("get", O.operation(
                        "getSession", tag: "session", summary: "Whether the caller is authenticated.",
                        responses: [("200", O.json("Authenticated.", O.ref("Session")))], public: true)),
                    ("delete", O.operation(
                        "logout", tag: "session", summary: "Log out: end the session and clear the cookie.",
                        responses: [("204", O.empty("Logged out."))], public: true)),
                ])),
                ("/api/v1/flights", .object([
                    ("get", O.operation(
                        "listFlights", tag: "flights", summary: "Flights in creation order, with their latest runs.",
                        parameters: Parameters.paging,
                        responses: [("200", O.json("A page of flights.", O.page(of: "FlightListItem")))], errors: [400])),
                    ("post", O.operation(
                        "createFlight", tag: "flights", summary: "Create a flight and its version 1.",
                        body: O.jsonBody(O.ref("NewFlight")),
                        responses: [("201", O.json("Created.", O.ref("FlightDetail")))], errors: [409])),
                ])),
                ("/api/v1/flights/{flight}", .object([
                    ("parameters", .array([O.parameterRef("flight")])),
                    ("get", O.operation(
                        "getFlight", tag: "flights", summary: "A flight with its current version and latest run.",
                        responses: [("200", O.json("The flight.", O.ref("FlightDetail")))], errors: [404])),
                    ("patch", O.operation(
                        "updateFlight", tag: "flights", summary: "Update a flight (PATCH semantics of MD_UPDATE_FLIGHT).",
                        body: O.jsonBody(O.ref("FlightUpdate")),
                        responses: [("200", O.json("Updated.", O.ref("FlightDetail")))], errors: [404, 409])),
                    ("delete", O.operation(
                        "deleteFlight", tag: "flights",
                        summary: "Delete a flight with its versions, runs and logs; runs in progress are stopped.",
                        responses: [("200", O.json("Deleted.", O.ref("DeletedFlight")))], errors: [404])),
                ])),
                ("/api/v1/flights/{flight}/versions", .object([
                    ("parameters", .array([O.parameterRef("flight")])),
                    ("get", O.operation(
                        "listVersions", tag: "flights", summary: "Versions newest first, without code.",
                        parameters: Parameters.paging,
                        responses: [("200", O.json("A page of versions.", O.page(of: "Version")))], errors: [400, 404])),
                ])),
                ("/api/v1/flights/{flight}/versions/{version}", .object([
                    ("parameters", .array([
                        O.parameterRef("flight"),
                        O.pathParameter("version", "The version number, from 1.", schema: O.integer()),
                    ])),
                    ("get", O.operation(
                        "getVersion", tag: "flights", summary: "One version with its source code and requirements.",
                        responses: [("200", O.json("The version.", O.ref("VersionDetail")))], errors: [400, 404])),
                ])),
                ("/api/v1/flights/{flight}/runs", .object([
                    ("parameters", .array([O.parameterRef("flight")])),
                    ("get", O.operation(
                        "listRuns", tag: "runs", summary: "A flight's runs, newest first.", parameters: Parameters.paging,
                        responses: [("200", O.json("A page of runs.", O.page(of: "Run")))], errors: [400, 404])),
                    ("post", O.operation(
                        "runFlight", tag: "runs",
                        summary: "Run the flight now; answers at once with the PENDING run, which goes on under its own supervisor.",
                        body: O.jsonBody(O.object([
                            ("config", O.stringMap("Overrides for this run only; only keys the flight defines."))
                        ], required: [], closed: true), required: false),
                        responses: [("201", O.json("The run, PENDING.", O.ref("Run")))], errors: [404])),
                ])),
                ("/api/v1/runs/{run_id}", .object([
                    ("parameters", .array([O.parameterRef("run_id")])),
                    ("get", O.operation(
                        "getRun", tag: "runs", summary: "One run.",
                        responses: [("200", O.json("The run.", O.ref("Run")))], errors: [400, 404])),
                ])),
                ("/api/v1/runs/{run_id}/cancel", .object([
                    ("parameters", .array([O.parameterRef("run_id")])),
                    ("post", O.operation(
                        "cancelRun", tag: "runs",
                        summary: "Cancel a pending or running run (TERM, then KILL, to its process group).",
                        responses: [("200", O.json("The run as it stands after the request.", O.ref("Run")))],
                        errors: [400, 404, 409])),
                ])),
                ("/api/v1/runs/{run_id}/logs", .object([
                    ("parameters", .array([O.parameterRef("run_id")])),
                    ("get", O.operation(
                        "getLogs", tag: "logs", summary: "Log lines after a line number.",
                        parameters: [
                            O.query("after", "Lines after this line number (default 0).", schema: O.integer()),
                            O.query("limit", "Lines at most (1-\(LogRoutes.maxLimit), default \(LogRoutes.defaultLimit)).", schema: O.integer()),
                        ],
                        responses: [("200", O.json("Lines.", O.ref("LogPage")))], errors: [400, 404])),
                ])),
                ("/api/v1/runs/{run_id}/logs/stream", .object([
                    ("parameters", .array([O.parameterRef("run_id")])),
                    ("get", O.operation(
                        "streamLogs", tag: "logs", summary: "The log live, as server-sent events.",
                        description: """
                            Events: `status` (data: Run) first and on every status change; `line` (id: line number, \
                            data: LogLine); `end` (data: Run) once the run finished and every line was sent, then the \
                            stream closes. A `: ping` comment every 15 s. Resume with Last-Event-ID (or ?after=).
                            """,
                        parameters: [
                            O.header("Last-Event-ID", "Resume after this line number.", schema: O.integer()),
                            O.query("after", "Start after this line number (Last-Event-ID wins).", schema: O.integer()),
                        ],
                        responses: [("200", O.content("The event stream.", type: "text/event-stream"))], errors: [400, 404])),
                ])),
                ("/api/v1/secrets", .object([
                    ("get", O.operation(
                        "listSecrets", tag: "secrets", summary: "Secrets with their param names (never their values).",
                        responses: [("200", O.json("Secrets.", O.ref("SecretList")))])),
                ])),
                ("/api/v1/secrets/{name}", .object([
                    ("parameters", .array([O.pathParameter("name", "The secret's name (stored lower case).")])),
                    ("put", O.operation(
                        "putSecret", tag: "secrets", summary: "Create or replace a secret; values are write-only.",
                        body: O.jsonBody(O.ref("SecretParams")),
                        responses: [("200", O.json("The secret, without values.", O.ref("Secret")))])),
                    ("delete", O.operation(
                        "deleteSecret", tag: "secrets", summary: "Delete a secret.",
                        responses: [("204", O.empty("Deleted."))], errors: [400, 404])),
                ])),
                ("/api/v1/schedule", .object([
                    ("get", O.operation(
                        "describeSchedule", tag: "schedules",
                        summary: "Check a cron expression: its words and next fire times (UTC).",
                        parameters: [
                            O.query("cron", "A 5-field cron expression or macro (@daily …).", schema: O.string(), required: true),
                            O.query("count", "Fire times to list (1-\(ScheduleRoutes.maxCount), default \(ScheduleRoutes.defaultCount)).",
                                    schema: O.integer()),
                        ],
                        responses: [("200", O.json("Valid.", O.ref("Schedule")))], errors: [400])),
                ])),
                ("/api/v1/databases", .object([
                    ("get", O.operation(
                        "listDatabases", tag: "data", summary: "The account's databases: DuckDB files and DuckLake databases.",
                        responses: [("200", O.json("Databases.", O.ref("DatabaseList")))])),
                    ("post", O.operation(
                        "createLake", tag: "data", summary: "Create a DuckLake database, as CREATE DATABASE … (TYPE ducklake, …) does.",
                        description: """
                            The catalog defaults to the control database when it is on PostgreSQL. An s3:// data path is \
                            listed with the lake's credentials (these fields, else the server's AWS_* variables) before \
                            anything is recorded. S3 secrets are kept, never returned.
                            """,
                        body: O.jsonBody(O.ref("LakeCreate")),
                        responses: [("201", O.json("Created.", O.ref("Database")))], errors: [400, 409, 503])),
                ])),
                ("/api/v1/databases/{db}/maintenance", .object([
                    ("parameters", .array([O.pathParameter("db", "A DuckLake database's name.")])),
                    ("get", O.operation(
                        "describeLakeMaintenance", tag: "data", summary: "A lake's maintenance settings and its latest runs (every host's).",
                        parameters: [O.query("limit", "Runs to list (1-200, default 20).", schema: O.integer())],
                        responses: [("200", O.json("Settings and runs.", O.ref("LakeMaintenance")))], errors: [400, 404])),
                    ("put", O.operation(
                        "setLakeMaintenance", tag: "data", summary: "Set when `hangar serve` maintains the lake, and what it keeps.",
                        body: O.jsonBody(O.ref("LakeMaintenanceSettings")),
                        responses: [("200", O.json("The settings.", O.ref("LakeMaintenance")))], errors: [400, 404])),
                    ("post", O.operation(
                        "runLakeMaintenance", tag: "data",
                        summary: "Run the lake's maintenance now: snapshot expiry, compaction, file cleanup.",
                        description: "Waits up to `wait` seconds for the loads in the lake to finish; 409 when they keep it busy (nothing done).",
                        parameters: [O.query("wait", "Seconds to wait for loads (0-\(LakeRoutes.maxWait), default \(LakeRoutes.defaultWait)).",
                                             schema: O.integer())],
                        responses: [("200", O.json("The run, succeeded or failed.", O.ref("LakeMaintenanceReport")))], errors: [400, 404, 409])),
                ])),
                ("/api/v1/databases/{db}/tables", .object([
                    ("parameters", .array([O.pathParameter("db", "The database's name.")])),
                    ("get", O.operation(
                        "listTables", tag: "data", summary: "Tables with their columns and row counts.",
                        responses: [("200", O.json("Tables.", O.ref("TableList")))], errors: [404, 409])),
                ])),
                ("/api/v1/databases/{db}/tables/{schema}/{table}", .object([
                    ("parameters", .array([
                        O.pathParameter("db", "The database's name."), O.pathParameter("schema", "The schema."),
                        O.pathParameter("table", "The table."),
                    ])),
                    ("get", O.operation(
                        "sampleTable", tag: "data", summary: "A table's columns, row count and first rows.",
                        parameters: [O.query("limit", "Rows (1-\(DatabaseRoutes.maxSample), default \(DatabaseRoutes.defaultSample)).",
                                             schema: O.integer()),
                                     O.query("numbers", Schemas.numbersDescription, schema: Schemas.numbers)],
                        responses: [("200", O.json("The sample.", O.ref("TableSample")))], errors: [400, 404, 409])),
                ])),
                ("/api/v1/sql", .object([
                    ("post", O.operation(
                        "runSQL", tag: "data", summary: "Run one SQL statement against the account's databases.",
                        description: """
                            The default database and every account database the statement names are attached under \
                            their leases for this request; file and network access are off.
                            """,
                        body: O.jsonBody(O.ref("SQLRequest")),
                        responses: [("200", O.json("The result.", O.ref("SQLResult")))], errors: [409, 504])),
                ])),
            ]
        }
    }
}
