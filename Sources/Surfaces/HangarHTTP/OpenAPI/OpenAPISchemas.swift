import HangarViews

/// The document's schemas: every body the API takes and answers with.
extension OpenAPIDocument {
    enum Schemas {
        typealias O = OpenAPI

        static let numbersDescription = """
            How numbers are written: exact (the default; every number a JSON number with all its digits, as hangar sql --json \
            writes them) or javascript (integers beyond ±2^53 and decimals as strings, which a JavaScript client would round).
            """
        static var numbers: JSONValue { O.enumeration(DuckDBJSON.Numbers.allCases.map(\.rawValue), numbersDescription) }

        static let runStatuses = ["RUN_STATUS_PENDING", "RUN_STATUS_RUNNING", "RUN_STATUS_SUCCEEDED", "RUN_STATUS_FAILED", "RUN_STATUS_CANCELLED"]

        static var all: [(String, JSONValue)] {
            [
                ("Error", O.object([
                    ("error", O.object([
                        ("code", O.enumeration(APIError.Kind.allCases.map(\.rawValue))),
                        ("message", O.string("What was wrong and what to do, in words.")),
                        ("parameter", O.string("The field or query parameter at fault, for invalid_input.", nullable: true)),
                    ])),
                ])),
                ("FlightSummary", O.object(flightSummary, description: "A flight as MD_LIST_FLIGHTS shows it, plus its schedule in words.")),
                ("FlightListItem", O.object(flightSummary + [
                    ("last_run", O.nullable("Run")),
                    ("recent_runs", O.array(O.ref("RecentRun"), "The latest 20 runs, newest first.")),
                ])),
                ("FlightDetail", O.object(flightSummary + [
                    ("version", O.ref("VersionDetail")),
                    ("last_run", O.nullable("Run")),
                ], description: "A flight with its current version (code included) and its latest run.")),
                ("NewFlight", O.object(newFlightFields, required: ["name", "source_code"], closed: true)),
                ("FlightUpdate", O.object(newFlightFields + [
                    ("schedule_status", O.enumeration(["ACTIVE", "DISABLED"], "Pause or resume the schedule.")),
                ], required: [], description: """
                    A PATCH, as MD_UPDATE_FLIGHT: absent fields are unchanged; null clears an option \
                    (requirements, config, secrets, max runtime, catch-up back to latest); schedule_cron "" or null \
                    removes the schedule. Content changes make a new version; name and schedule changes don't.
                    """, closed: true)),
                ("DeletedFlight", O.object([("flight_id", O.uuid()), ("flight_name", O.string()), ("deleted", O.boolean())])),
                ("Version", O.object(versionFields + [("runtime", O.enumeration(["python", "swift"]))])),
                ("VersionDetail", O.object(versionFields + [
                    ("source_code", O.string()),
                    ("requirements_txt", O.string(nullable: true)),
                    ("runtime", O.enumeration(["python", "swift"])),
                    ("requirement_warnings", O.array(O.string(), "Requirements pinned to a release the package index marks as yanked, with its reason, as this server found when the version was saved (a warning, not a refusal).")),
                ])),
                ("Run", O.object([
                    ("run_id", O.uuid()), ("flight_id", O.uuid()), ("flight_name", O.string()),
                    ("flight_version", O.integer()), ("config", O.stringMap("The effective config of this run.")),
                    ("run_number", O.integer("1, 2, 3 … per flight.")), ("is_scheduled", O.boolean()),
                    ("status", O.enumeration(runStatuses)),
                    ("created_at", O.time()), ("started_at", O.time(nullable: true)), ("ended_at", O.time(nullable: true)),
                    ("scheduled_at", O.time(nullable: true)), ("cancelled_at", O.time(nullable: true)),
                    ("exit_code", O.integer(nullable: true)), ("cancel_requested_at", O.time(nullable: true)),
                    ("failure_reason", O.enumeration(["exit_code", "signal", "timeout", "cancelled", "build_failure",
                                                       "install_failure", "launch_failure", "supervisor_lost", "worker_lost"], nullable: true)),
                    ("failure_detail", O.string(nullable: true)),
                    ("rows_loaded", O.integer("Rows the run loaded through the ingest engine; null when it reported none.", nullable: true)),
                    ("loaded_tables", .object([
                        ("type", .array([.string("object"), .string("null")])),
                        ("additionalProperties", .object([("type", .string("integer"))])),
                        ("description", .string("Rows per table (dataset.table); null when the run reported none.")),
                    ])),
                    ("trigger", O.enumeration(["manual", "scheduled"])),
                    ("duration_sec", O.number("From start to end, or so far; null before the program started.", nullable: true)),
                    ("load_info", O.nullable("LoadInfo")),
                ])),
                ("LoadInfo", O.object([
                    ("tables", O.array(O.object([("table", O.string("dataset.table")), ("rows", O.integer())]))),
                    ("rows_loaded", O.integer()),
                    ("load_ids", O.array(O.string())),
                ], description: "What the run loaded through the ingest engine; null when it reported nothing.")),
                ("RecentRun", O.object([
                    ("run_number", O.integer()), ("status", O.enumeration(runStatuses)),
                    ("duration_sec", O.number(nullable: true)), ("created_at", O.time()), ("rows_loaded", O.integer(nullable: true)),
                ])),
                ("LogLine", O.object([
                    ("line_number", O.integer("1-based; stdout and stderr share one numbering.")),
                    ("reported_at", O.time()),
                    ("line", O.string("The line, secrets masked.")),
                    ("stream", O.enumeration(["stdout", "stderr", "system"])),
                    ("message", O.string("The same text (the API contract's name).")),
                ])),
                ("LogPage", O.object([
                    ("items", O.array(O.ref("LogLine"))),
                    ("next_after", O.integer("The last line number returned (or `after`): pass it as `after` next.")),
                    ("finished", O.boolean("The run has finished and no line follows these.")),
                    ("status", O.enumeration(runStatuses)),
                ])),
                ("Secret", O.object([
                    ("name", O.string()), ("keys", O.array(O.string(), "Param names; values are never returned.")),
                    ("created_at", O.time()), ("updated_at", O.time()),
                ])),
                ("SecretList", O.object([("items", O.array(O.ref("Secret")))])),
                ("SecretParams", O.object([
                    ("params", O.stringMap("Param names and values; each becomes an environment variable of runs."))
                ], closed: true)),
                ("Schedule", O.object([
                    ("valid", O.boolean()), ("cron", O.string("As given, trimmed.")),
                    ("normalized", O.string("Macros expanded, names as numbers: @daily → 0 0 * * *.")),
                    ("description", O.string("In words: \"every day at 07:15 UTC\".")),
                    ("next", O.array(O.time(), "The next fire times, UTC.")),
                ])),
                ("Column", O.object([("name", O.string()), ("type", O.string("DuckDB's type name."))])),
                ("Database", O.object([("name", O.string()), ("path", O.string()), ("size_bytes", O.integer()), ("type", O.string())])),
                ("DatabaseList", O.object([("items", O.array(O.ref("Database")))])),
                ("LakeCreate", O.object([
                    ("name", O.string()), ("type", O.enumeration(["ducklake"])),
                    ("data_path", O.string("A folder every writer reaches, or s3://bucket/path.")),
                    ("catalog", O.string("postgres://… (default: the control database).")),
                    ("s3_endpoint", O.string("host:port or http(s)://host:port.")), ("s3_region", O.string()),
                    ("s3_url_style", O.enumeration(["path", "vhost"])), ("s3_use_ssl", O.boolean()),
                    ("s3_key_id", O.string()), ("s3_secret", O.string("Write-only.")), ("s3_session_token", O.string("Write-only.")),
                    ("maintenance_schedule", O.string("Five-field cron, UTC.")),
                    ("expire_older_than", O.string("A DuckDB interval (default 7 days).")),
                    ("delete_older_than", O.string("A DuckDB interval (default 1 day).")),
                ], required: ["name", "type", "data_path"], closed: true)),
                ("LakeMaintenanceSettings", O.object([
                    ("schedule", O.string("Five-field cron, UTC; null or \"\" removes it.", nullable: true)),
                    ("expire_older_than", O.string("Snapshots older than this DuckDB interval are expired.")),
                    ("delete_older_than", O.string("Files no snapshot needs are deleted once this old.")),
                ], required: [], closed: true)),
                ("LakeMaintenance", O.object([
                    ("database", O.string()), ("schedule", O.string(nullable: true)), ("next_fire", O.time(nullable: true)),
                    ("expire_older_than", O.string()), ("delete_older_than", O.string()),
                    ("runs", O.array(O.ref("LakeMaintenanceReport"), "Newest first; absent after PUT.")),
                ], required: ["database", "schedule", "next_fire", "expire_older_than", "delete_older_than"])),
                ("LakeMaintenanceReport", O.object([
                    ("data_files", O.integer("Data files after the run.")), ("error", O.string()),
                    ("finished_at", O.time()), ("host", O.string()), ("lake", O.string()),
                    ("outcome", O.enumeration(["succeeded", "failed", "deferred", "already_run"])),
                    ("scheduled_at", O.time("The fire it ran for; absent when run by hand.")),
                    ("snapshots", O.integer()), ("started_at", O.time()),
                    ("steps", O.array(O.object([("count", O.integer()), ("name", O.string()), ("seconds", O.number())]))),
                ], required: ["finished_at", "host", "lake", "outcome", "started_at", "steps"])),
                ("Table", O.object(tableFields)),
                ("TableList", O.object([("items", O.array(O.ref("Table")))])),
                ("TableSample", O.object(tableFields + [
                    ("limit", O.integer()),
                    ("rows", O.array(O.array(.object([]), "One row: values in column order."))),
                ])),
                ("SQLRequest", O.object([
                    ("sql", O.string("One statement.")),
                    ("database", O.string("The account database statements use by default (USE).", nullable: true)),
                    ("limit", O.integer("Rows returned at most (1-10000, default 1000).")),
                    ("timeout_sec", O.number("Interrupt the statement after this long (default 30, max 300).")),
                    ("numbers", numbers),
                ], required: ["sql"], closed: true)),
                ("SQLResult", O.object([
                    ("columns", O.array(O.ref("Column"))),
                    ("rows", O.array(O.array(.object([])), """
                        Values as JSON, as hangar sql --json writes them: numbers with all their digits (as strings with \
                        numbers: javascript), temporal values as DuckDB's text, JSON values nested.
                        """)),
                    ("row_count", O.integer()), ("truncated", O.boolean("More rows followed the limit.")),
                    ("elapsed_sec", O.number()),
                ])),
                ("Session", O.object([("authenticated", O.boolean())])),
                ("Login", O.object([("token", O.string("The API token."))], closed: true)),
                ("Health", O.object([
                    ("status", O.enumeration(["ok", "degraded"])),
                    ("scheduler", O.object([
                        ("state", O.enumeration(["active", "standby", "stopped"])),
                        ("holder", O.string("Who holds the scheduler lease.", nullable: true)),
                    ])),
                    ("store", O.object([("ok", O.boolean()), ("message", O.string(nullable: true))])),
                ])),
            ]
        }

        static var flightSummary: [(String, JSONValue)] {
            [
                ("flight_id", O.uuid()), ("flight_name", O.string()),
                ("schedule_cron", O.string("5-field cron, UTC; null when on demand.", nullable: true)),
                ("schedule_status", O.enumeration(["ACTIVE", "DISABLED"], nullable: true)),
                ("status", O.enumeration(["JOB_STATUS_ACTIVE"])),
                ("current_version", O.integer()), ("created_at", O.time()), ("updated_at", O.time()),
                ("owner_name", O.string()), ("runtime", O.enumeration(["python", "swift"])),
                ("catch_up", O.enumeration(["latest", "none", "all"])),
                ("next_fire_at", O.time(nullable: true)),
                ("schedule_description", O.string("The schedule in words; null when on demand.", nullable: true)),
            ]
        }

        static var newFlightFields: [(String, JSONValue)] {
            [
                ("name", O.string("Letters, digits, _ - . (unique ignoring case).")),
                ("source_code", O.string("main.py or main.swift.")),
                ("runtime", O.enumeration(["python", "swift"], "Default python.")),
                ("requirements_txt", O.string(nullable: true)),
                ("schedule_cron", O.string("5-field cron, UTC; empty or null for on demand.", nullable: true)),
                ("config", O.stringMap(nullable: true)),
                ("flight_secret_names", .object([("type", .array([.string("array"), .string("null")])),
                                                 ("items", O.string())])),
                ("max_runtime_sec", O.integer("0 for no limit.", nullable: true)),
                ("catch_up", O.enumeration(["latest", "none", "all"], nullable: true)),
                ("access_token_name", O.string(nullable: true)),
                ("instance_type", O.string(nullable: true)),
            ]
        }

        static var versionFields: [(String, JSONValue)] {
            [
                ("version_id", O.uuid()), ("flight_id", O.uuid()), ("flight_version", O.integer()), ("created_at", O.time()),
                ("access_token_name", O.string(nullable: true)), ("flight_secret_names", O.array(O.string())),
                ("config", O.stringMap()), ("max_runtime_sec", O.integer(nullable: true)), ("instance_type", O.string(nullable: true)),
            ]
        }

        static var tableFields: [(String, JSONValue)] {
            [("schema", O.string()), ("table", O.string()), ("row_count", O.integer()), ("columns", O.array(O.ref("Column")))]
        }
    }
}
