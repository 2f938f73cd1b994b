import DuckDB
import Foundation
import HangarAccount
import HangarFlights
import HangarViews
import Hummingbird

/// `POST /api/v1/databases` (a DuckLake database, as `CREATE DATABASE … (TYPE ducklake, …)` makes
/// one) and `/api/v1/databases/{db}/maintenance`: a lake's maintenance settings, history, and a
/// run now. The fields are the SQL options' names in lower case; S3 secrets go in, never out.
enum LakeRoutes {
    static let createFields: Set<String> = [
        "name", "type", "data_path", "catalog", "s3_endpoint", "s3_region", "s3_url_style", "s3_use_ssl", "s3_key_id", "s3_secret",
        "s3_session_token", "maintenance_schedule", "expire_older_than", "delete_older_than",
    ]
    /// How long `POST …/maintenance` waits, by default and at most, for the loads in the lake.
    static let defaultWait = 60
    static let maxWait = 600

    static func register(on routes: RouterGroup<APIRequestContext>, api: HangarAPI) {
        let databases = AccountDatabases(home: api.home)
        let lakes = DuckLakeCreation(home: api.home)

        routes.post("/api/v1/databases") { request, _ in
            // Sensitive: the body may hold an S3 secret or a catalog password.
            let body = try await JSONBody.read(request, allowed: createFields, sensitive: true)
            guard let name = try body.string("name").value, !name.isEmpty else {
                throw APIError.invalid("name", "name is required: the database's name (letters, digits and underscores)")
            }
            guard try body.string("type").value == "ducklake" else {
                throw APIError.invalid("type", "type must be \"ducklake\": a DuckDB file database is made by its first use (or CREATE DATABASE in hangar sql)")
            }
            guard let dataPath = try body.string("data_path").value else {
                throw APIError.invalid("data_path", "data_path is required: the folder every writer reaches, or an s3:// URL")
            }
            let store = DuckLakeObjectStore(
                endpoint: try body.string("s3_endpoint").value, region: try body.string("s3_region").value,
                urlStyle: try body.string("s3_url_style").value, useSSL: try body.bool("s3_use_ssl").value,
                keyID: try body.string("s3_key_id").value, secret: try body.string("s3_secret").value,
                sessionToken: try body.string("s3_session_token").value)
            let maintenance = try settings(schedule: body.string("maintenance_schedule").value,
                                           expire: body.string("expire_older_than").value, delete: body.string("delete_older_than").value,
                                           base: nil)
            let catalog = try body.string("catalog").value
            try await api.blocking {
                do {
                    try lakes.create(name: name, dataPath: dataPath, catalog: catalog, objectStore: store == DuckLakeObjectStore() ? nil : store,
                                     maintenance: maintenance)
                } catch let error as DuckLakeError {
                    switch error.kind {
                    case .exists: throw APIError(.conflict, error.message)
                    case .catalogUnreachable, .storageUnreachable: throw APIError(.unavailable, error.message)
                    case .catalogRequired, .invalid: throw APIError(.invalidInput, error.message)
                    }
                }
            }
            guard let file = databases.file(named: name) else { throw APIError(.internal, "database \(name) was created but is not listed") }
            return APIResponse.json(.object([("name", .string(file.name)), ("path", .string(file.url.path)), ("size_bytes", .int(file.sizeBytes)),
                                             ("type", .string("ducklake"))]), status: .created)
        }

        routes.get("/api/v1/databases/{db}/maintenance") { request, context in
            let (name, descriptor) = try lake(databases, context)
            let limit = try QueryParameters.int(request, "limit", default: 20, in: 1...200)
            let runs = try await api.blocking { try LakeMaintenanceHistory(location: descriptor.location).recent(limit: limit) }
            return APIResponse.json(.object(settingsJSON(name, descriptor.maintenance ?? LakeMaintenanceSettings())
                                            + [("runs", .array(runs.map { .raw($0.jsonText) }))]))
        }

        routes.put("/api/v1/databases/{db}/maintenance") { request, context in
            let (name, descriptor) = try lake(databases, context)
            let body = try await JSONBody.read(request, allowed: ["schedule", "expire_older_than", "delete_older_than"])
            var updated = descriptor.maintenance ?? LakeMaintenanceSettings()
            switch try body.string("schedule") {
            case .keep: break
            case .null: updated.schedule = nil
            case .set(let cron): updated.schedule = cron.isEmpty ? nil : cron
            }
            updated = try settings(schedule: updated.schedule, expire: body.string("expire_older_than").value,
                                   delete: body.string("delete_older_than").value, base: updated) ?? updated
            let settings = updated
            try await api.blocking {
                do {
                    try lakes.setMaintenance(name: name, settings)
                } catch let error as DuckLakeError {
                    throw APIError(.invalidInput, error.message)
                }
            }
            return APIResponse.json(.object(settingsJSON(name, settings)))
        }

        routes.post("/api/v1/databases/{db}/maintenance") { request, context in
            let (name, descriptor) = try lake(databases, context)
            let wait = try QueryParameters.int(request, "wait", default: defaultWait, in: 0...maxWait)
            let report = try await api.blocking {
                try LakeMaintenance(name: name, descriptor: descriptor).run(waitingUntil: Date().addingTimeInterval(Double(wait)))
            }
            if report.outcome == .deferred {
                throw APIError(.conflict, "loads kept \(name) busy for \(wait) s; nothing was done (try again, or pass a longer wait)")
            }
            return APIResponse.json(.raw(report.jsonText))
        }
    }

    /// The settings `base` (or the defaults) with what the request gives, checked.
    private static func settings(schedule: String?, expire: String?, delete: String?,
                                 base: LakeMaintenanceSettings?) throws -> LakeMaintenanceSettings? {
        guard base != nil || schedule != nil || expire != nil || delete != nil else { return nil }
        var settings = base ?? LakeMaintenanceSettings()
        if let schedule { settings.schedule = schedule }
        if let expire { settings.expireOlderThan = expire }
        if let delete { settings.deleteOlderThan = delete }
        do {
            try LakeMaintenance.validate(settings)
        } catch let error as DuckLakeError {
            throw APIError(.invalidInput, error.message)
        }
        return settings
    }

    private static func settingsJSON(_ name: String, _ settings: LakeMaintenanceSettings) -> [(String, JSONValue)] {
        let next = settings.nextFire(after: Date())
        return [
            ("database", .string(name)), ("schedule", .string(settings.schedule)),
            ("next_fire", .string(next.map { JSONTime.iso($0) })),
            ("expire_older_than", .string(settings.expireOlderThan)), ("delete_older_than", .string(settings.deleteOlderThan)),
        ]
    }

    /// The lake `{db}` names, or 404 (no such database) or 400 (a DuckDB file, which has no maintenance).
    private static func lake(_ databases: AccountDatabases, _ context: APIRequestContext) throws -> (String, DuckLakeDescriptor) {
        let file = try DatabaseRoutes.database(databases, context)
        guard file.isLake else {
            throw APIError(.invalidInput, "\(file.name) is a DuckDB file; maintenance is for DuckLake databases (DuckDB files compact as they checkpoint)")
        }
        do {
            return (file.name, try DuckLakeDescriptor.read(from: file.url))
        } catch {
            throw APIError(.internal, "\(error)")
        }
    }
}
