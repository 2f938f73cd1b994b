import Foundation
import HangarTestSupport
import Testing

/// Secrets (values go in and never come out) and the schedule checker.
struct SecretsAndScheduleAPITests {
    @Test(.timeLimit(.minutes(5)))
    func secretValuesAreWriteOnly() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let api = try server.client()
        let value = "s3cr3t-\(UUID().uuidString)"

        let created = try await api.put("/api/v1/secrets/GitHub", ["params": ["TOKEN": value, "USER": "octo-\(value)"]])
        #expect(created.status == 200)
        #expect(created.json["name"] as? String == "github")
        #expect(created.json["keys"] as? [String] == ["TOKEN", "USER"])
        #expect(!created.text.contains(value))

        let replaced = try await api.put("/api/v1/secrets/github", ["params": ["TOKEN": value + "2"]])
        #expect(replaced.status == 200)
        #expect(replaced.json["keys"] as? [String] == ["TOKEN"])

        let listed = try await api.get("/api/v1/secrets")
        #expect(listed.items.map { $0["name"] as? String } == ["github"])
        #expect(listed.items.first?["keys"] as? [String] == ["TOKEN"])
        #expect(!listed.text.contains(value))

        // Refusals name the field and never quote a value.
        let reserved = try await api.put("/api/v1/secrets/other", ["params": ["HANGAR_TOKEN": value]])
        #expect(reserved.status == 400)
        #expect(reserved.errorParameter == "params")
        #expect(!reserved.text.contains(value))
        let notString = try await api.put("/api/v1/secrets/other", ["params": ["TOKEN": 12345]])
        #expect(notString.errorParameter == "params")
        #expect(try await api.put("/api/v1/secrets/other", [String: Any]()).errorParameter == "params")
        #expect(try await api.put("/api/v1/secrets/other", ["params": [:]]).errorParameter == "params")
        #expect(try await api.put("/api/v1/secrets/1bad", ["params": ["A": "b"]]).errorParameter == "name")
        let broken = try await api.send(.PUT, "/api/v1/secrets/other", raw: "{\"params\": {\"TOKEN\": \"\(value)")
        #expect(broken.status == 400)
        #expect(!broken.text.contains(value))

        #expect(try await api.delete("/api/v1/secrets/GITHUB").status == 204)
        #expect(try await api.get("/api/v1/secrets").items.isEmpty)
        let again = try await api.delete("/api/v1/secrets/github")
        #expect(again.status == 404)
        #expect(again.errorCode == "not_found")

        // Nor the server's log, nor its token.
        #expect(!server.stdout.contains(value))
        #expect(!server.stdout.contains(try server.token()))
        #expect(server.stdout.contains("PUT /api/v1/secrets/GitHub 200"))
    }

    @Test(.timeLimit(.minutes(5)))
    func aScheduleIsCheckedDescribedAndItsNextFiresListed() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let api = try server.client()

        let daily = try await api.get("/api/v1/schedule?cron=15%207%20*%20*%20*")
        #expect(daily.status == 200)
        #expect(daily.json["valid"] as? Bool == true)
        #expect(daily.json["cron"] as? String == "15 7 * * *")
        #expect(daily.json["description"] as? String == "every day at 07:15 UTC")
        let next = try #require(daily.json["next"] as? [String])
        #expect(next.count == 5)
        #expect(next.allSatisfy { $0.hasSuffix("T07:15:00.000000Z") })
        #expect(next == next.sorted() && Set(next).count == 5)

        let weekdays = try await api.get("/api/v1/schedule?cron=0%209%20*%20*%20mon-fri&count=10")
        #expect(weekdays.json["description"] as? String == "at 09:00 UTC on Monday through Friday")
        #expect(weekdays.json["normalized"] as? String == "0 9 * * 1-5")
        #expect((weekdays.json["next"] as? [String])?.count == 10)
        #expect(try await api.get("/api/v1/schedule?cron=@hourly&count=1").json["description"] as? String == "at minute 0 of every hour")
        // As an HTML form encodes it: + for spaces.
        #expect(try await api.get("/api/v1/schedule?cron=15+7+*+*+*").json["description"] as? String == "every day at 07:15 UTC")

        let invalid = try await api.get("/api/v1/schedule?cron=61%20*%20*%20*%20*")
        #expect(invalid.status == 400)
        #expect(invalid.errorParameter == "cron")
        #expect(invalid.errorMessage?.contains("minute field \"61\": 61 is out of range 0-59") == true)
        #expect(try await api.get("/api/v1/schedule?cron=0%200%2030%202%20*").errorMessage?.contains("never fires") == true)
        #expect(try await api.get("/api/v1/schedule").errorParameter == "cron")
        #expect(try await api.get("/api/v1/schedule?cron=@daily&count=0").errorParameter == "count")
        #expect(try await api.get("/api/v1/schedule?cron=@daily&count=101").errorParameter == "count")
    }
}
