/// The `_dlt_` tables every dataset has, with dlt's columns, so SQL written against a
/// dlt-loaded dataset works unchanged.
enum SystemTables {
    static let loads = "_dlt_loads"
    static let version = "_dlt_version"
    static let pipelineState = "_dlt_pipeline_state"

    static func createStatements(dataset: String) -> [String] {
        let schema = quote(dataset)
        return [
            "CREATE SCHEMA IF NOT EXISTS \(schema)",
            """
            CREATE TABLE IF NOT EXISTS \(schema)."\(loads)" (load_id VARCHAR NOT NULL, schema_name VARCHAR, status BIGINT NOT NULL,
              inserted_at TIMESTAMP WITH TIME ZONE NOT NULL, schema_version_hash VARCHAR)
            """,
            """
            CREATE TABLE IF NOT EXISTS \(schema)."\(version)" (version BIGINT NOT NULL, engine_version BIGINT NOT NULL,
              inserted_at TIMESTAMP WITH TIME ZONE NOT NULL, schema_name VARCHAR NOT NULL, version_hash VARCHAR NOT NULL, schema VARCHAR NOT NULL)
            """,
        ]
    }

    /// `_dlt_pipeline_state` is loaded from the package like any table; this is its schema.
    static var pipelineStateTable: TableSchema {
        TableSchema(name: pipelineState, columns: [
            ColumnSchema(name: "version", dataType: .bigint, nullable: false),
            ColumnSchema(name: "engine_version", dataType: .bigint, nullable: false),
            ColumnSchema(name: "pipeline_name", dataType: .text, nullable: false),
            ColumnSchema(name: "state", dataType: .text, nullable: false),
            ColumnSchema(name: "created_at", dataType: .timestamp, nullable: false),
            ColumnSchema(name: "version_hash", dataType: .text),
            ColumnSchema(name: "_dlt_load_id", dataType: .text, nullable: false),
            ColumnSchema(name: "_dlt_id", dataType: .text, nullable: false),
        ], writeDisposition: .append)
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
