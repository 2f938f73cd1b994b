import Foundation

/// The fields that make up a version. Two contents that compare equal are the same version,
/// which is how an update that changes nothing makes no version.
struct VersionContent: Equatable {
    var runtime: FlightRuntime
    var sourceCode: String
    var requirementsTxt: String?
    var config: [String: String]
    var secretNames: [String]
    var accessTokenName: String?
    var maxRuntimeSec: Int?
    var instanceType: String?

    init(validating new: NewFlight) throws(FlightsError) {
        runtime = new.runtime
        sourceCode = try Validation.sourceCode(new.sourceCode)
        requirementsTxt = try Validation.requirements(new.requirementsTxt)
        config = try Validation.config(new.config)
        secretNames = try Validation.secretNames(new.secretNames)
        accessTokenName = try Validation.label(new.accessTokenName, parameter: "access_token_name")
        maxRuntimeSec = try Validation.maxRuntimeSec(new.maxRuntimeSec)
        instanceType = try Validation.label(new.instanceType, parameter: "instance_type")
    }

    init(row: ControlRow) {
        runtime = FlightRuntime(rawValue: row["runtime"]) ?? .python
        sourceCode = row["source_code"]
        requirementsTxt = row["requirements_txt"]
        config = Stored.map(row["config"])
        secretNames = Stored.list(row["flight_secret_names"])
        accessTokenName = row["access_token_name"]
        maxRuntimeSec = row["max_runtime_sec"]
        instanceType = row["instance_type"]
    }

    /// The content after a PATCH: fields not passed carry forward; maps and lists are replaced
    /// whole; `.null` clears what may be cleared.
    func patched(by update: FlightUpdate) throws(FlightsError) -> VersionContent {
        var next = self
        switch update.sourceCode {
        case .keep: break
        case .set(let source): next.sourceCode = try Validation.sourceCode(source)
        case .null: throw .invalid("source_code", "source_code can't be NULL: leave it out to keep the current source")
        }
        switch update.runtime {
        case .keep: break
        case .set(let runtime): next.runtime = runtime
        case .null: throw .invalid("runtime", "runtime can't be NULL: pass 'python' or 'swift', or leave it out")
        }
        switch update.requirementsTxt {
        case .keep: break
        case .set(let requirements): next.requirementsTxt = try Validation.requirements(requirements)
        case .null: next.requirementsTxt = nil
        }
        switch update.config {
        case .keep: break
        case .set(let config): next.config = try Validation.config(config)
        case .null: next.config = [:]
        }
        switch update.secretNames {
        case .keep: break
        case .set(let names): next.secretNames = try Validation.secretNames(names)
        case .null: next.secretNames = []
        }
        switch update.accessTokenName {
        case .keep: break
        case .set(let name): next.accessTokenName = try Validation.label(name, parameter: "access_token_name")
        case .null: next.accessTokenName = nil
        }
        switch update.maxRuntimeSec {
        case .keep: break
        case .set(let seconds): next.maxRuntimeSec = try Validation.maxRuntimeSec(seconds)
        case .null: next.maxRuntimeSec = nil
        }
        switch update.instanceType {
        case .keep: break
        case .set(let type): next.instanceType = try Validation.label(type, parameter: "instance_type")
        case .null: next.instanceType = nil
        }
        return next
    }

    func insert(_ db: any ControlDatabase, flightID: String, number: Int, at now: Int64) throws {
        try db.execute(
            """
                INSERT INTO flight_versions (id, flight_id, number, created_at, runtime, source_code, requirements_txt,
                    config, flight_secret_names, access_token_name, max_runtime_sec, instance_type)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            [
                Stored.id(UUID()), flightID, number, now, runtime.rawValue, sourceCode, requirementsTxt,
                Stored.json(config), Stored.json(secretNames), accessTokenName, maxRuntimeSec, instanceType,
            ])
    }
}
