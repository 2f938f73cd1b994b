import Foundation
import HangarViews
import HangarScheduling
import Hummingbird

/// `GET /api/v1/schedule?cron=…&count=…`: a cron expression checked by the platform's parser,
/// in words, with its next fire times (UTC). The dashboard's schedule editor calls it as the user
/// types.
enum ScheduleRoutes {
    static let defaultCount = 5
    static let maxCount = 100

    static func register(on routes: RouterGroup<APIRequestContext>, api: HangarAPI) {
        routes.get("/api/v1/schedule") { request, _ in
            let count = try QueryParameters.int(request, "count", default: defaultCount, in: 1...maxCount)
            let cron = (QueryParameters.string(request, "cron") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !cron.isEmpty else {
                throw APIError.invalid("cron", "cron is required: a 5-field cron expression (UTC) such as 15 7 * * *")
            }
            let schedule: CronSchedule
            do {
                schedule = try CronSchedule(cron)
            } catch let error as CronError {
                throw APIError.invalid("cron", "not a valid 5-field cron expression (UTC): \(error.message)")
            }
            var fires: [Date] = []
            var cursor = Date()
            while fires.count < count, let next = schedule.nextFire(after: cursor, in: .gmt) {
                fires.append(next)
                cursor = next
            }
            return APIResponse.json(.object([
                ("valid", .bool(true)),
                ("cron", .string(cron)),
                ("normalized", .string(schedule.description)),
                ("description", .string(schedule.inWords())),
                ("next", .array(fires.map { .time($0) })),
            ]))
        }
    }
}
