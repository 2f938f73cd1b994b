import Foundation
import HangarFlights
import HangarRuntime

extension FlightVersion {
    /// A version row, without code: `MD_LIST_FLIGHT_VERSIONS`.
    public static let columns = referenceColumns + hangarColumns

    public static let referenceColumns: [RowColumn<FlightVersion>] = [
        RowColumn("version_id", .uuid) { .id($0.id) },
        RowColumn("flight_id", .uuid) { .id($0.flightID) },
        RowColumn("flight_version", .uinteger) { .int($0.number) },
        RowColumn("created_at", .timestampTZ) { .time($0.createdAt) },
        RowColumn("access_token_name", .varchar) { .text($0.accessTokenName) },
        RowColumn("flight_secret_names", .list(.varchar)) { .texts($0.secretNames) },
        // Config values are not secret (the reference says so), so they are shown.
        RowColumn("config", .map(key: .varchar, value: .varchar)) { .map($0.config) },
        RowColumn("max_runtime_sec", .uinteger) { .int($0.maxRuntimeSec) },
        RowColumn("instance_type", .varchar) { .text($0.instanceType) },
    ]

    public static let hangarColumns: [RowColumn<FlightVersion>] = [
        RowColumn("runtime", .varchar) { .text($0.runtime.rawValue) },
    ]

    public var json: JSONValue { .object(Self.columns.jsonFields(of: self)) }
}

extension FlightVersionDetail {
    /// A version row with its code: `MD_GET_FLIGHT_VERSION`.
    public static let columns: [RowColumn<FlightVersionDetail>] = ofVersion(FlightVersion.referenceColumns) + [
        RowColumn("source_code", .varchar) { .text($0.sourceCode) },
        RowColumn("requirements_txt", .varchar) { .text($0.requirementsTxt) },
    ] + ofVersion(FlightVersion.hangarColumns)

    private static func ofVersion(_ columns: [RowColumn<FlightVersion>]) -> [RowColumn<FlightVersionDetail>] {
        columns.map { column in RowColumn(column.name, column.type) { column.value($0.version) } }
    }

    /// The columns, then the yanked releases the requirements pin (known from the check made
    /// when the version was saved; never asked for here).
    public var json: JSONValue {
        .object(Self.columns.jsonFields(of: self) + [
            ("requirement_warnings", .strings((YankedReleases.known(requirementsTxt) ?? []).map(\.warning))),
        ])
    }
}

extension SecretSummary {
    /// Names and keys only: secret values are never shown.
    public var json: JSONValue {
        .object([
            ("name", .string(name)), ("keys", .strings(keys)),
            ("created_at", .time(createdAt)), ("updated_at", .time(updatedAt)),
        ])
    }
}
