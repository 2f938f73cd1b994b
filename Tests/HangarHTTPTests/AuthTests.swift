import Foundation
import HangarTestSupport
import Testing

/// The API's token and the dashboard's session: every endpoint but /healthz, the dashboard's
/// files and the login needs one or the other.
struct AuthTests {
    @Test(.timeLimit(.minutes(5)))
    func theTokenIsMadeOnFirstStartOwnerOnlyAndTokenShowPrintsIt() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let token = try server.token()
        #expect(token.count == 64)

        let file = try FileManager.default.attributesOfItem(atPath: test.home + "/server/token")
        #expect((file[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: test.home + "/server")
        #expect((folder[.posixPermissions] as? Int) == 0o700)

        let shown = try test.hangar("token", "show")
        #expect(shown.status == 0)
        #expect(shown.stdout == token + "\n")
        let json = try test.hangar("token", "show", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["token"] as? String == token)
        #expect(object?["file"] as? String == test.home + "/server/token")

        // A restart keeps the token.
        #expect(await server.stop() == 0)
        let again = try await test.serve()
        #expect(try again.token() == token)
    }

    @Test func anEmptyTokenFileIsReplacedAndRotateAnswersInJSON() throws {
        let test = try FlightsTestHome()
        try FileManager.default.createDirectory(atPath: test.home + "/server", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: test.home + "/server/token", contents: Data())
        let shown = try test.hangar("token", "show")
        #expect(shown.status == 0)
        #expect(shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines).count == 64)
        #expect(shown.stderr.contains("Created the API token"))
        let rotated = try test.hangar("token", "rotate", "--json")
        let object = try JSONSerialization.jsonObject(with: Data(rotated.stdout.utf8)) as? [String: Any]
        let token = try #require(object?["token"] as? String)
        #expect(token.count == 64 && token + "\n" != shown.stdout)
        #expect(try test.hangar("token", "show").stdout == token + "\n")
        let file = try FileManager.default.attributesOfItem(atPath: test.home + "/server/token")
        #expect((file[.posixPermissions] as? Int) == 0o600)
    }

    @Test(.timeLimit(.minutes(5)))
    func requestsWithoutTheRightTokenAreRefused() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let api = try server.client()

        let missing = try await api.withoutToken().get("/api/v1/flights")
        #expect(missing.status == 401)
        #expect(missing.errorCode == "unauthorized")
        #expect(missing.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)

        var wrong = api
        wrong.token = String(repeating: "0", count: 64)
        #expect(try await wrong.get("/api/v1/flights").status == 401)
        wrong.token = "short"
        #expect(try await wrong.get("/api/v1/secrets").status == 401)
        // A scheme other than Bearer is no token at all.
        #expect(try await api.withoutToken().send(.GET, "/api/v1/flights", headers: [("Authorization", "Basic \(try server.token())")]).status == 401)
        // Every API route is behind the token, the document included.
        #expect(try await api.withoutToken().get("/api/v1/openapi").status == 401)
        #expect(try await api.withoutToken().post("/api/v1/flights/x/runs").status == 401)

        #expect(try await api.get("/api/v1/flights").status == 200)
        // The scheme's case does not matter.
        #expect(try await api.withoutToken().send(.GET, "/api/v1/flights", headers: [("Authorization", "bearer \(try server.token())")]).status == 200)
    }

    @Test(.timeLimit(.minutes(5)))
    func healthAndTheDashboardsFilesNeedNoToken() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let anonymous = try server.client().withoutToken()

        let health = try await anonymous.get("/healthz")
        #expect(health.status == 200)
        #expect(health.json["status"] as? String == "ok")
        #expect((health.json["store"] as? [String: Any])?["ok"] as? Bool == true)
        // The scheduler starts just after the server listens.
        let scheduler = try await eventually("the scheduler to be active") { () -> [String: Any]? in
            let state = try await anonymous.get("/healthz").json["scheduler"] as? [String: Any]
            return state?["state"] as? String == "active" ? state : nil
        }
        #expect((scheduler["holder"] as? String)?.contains("hangar serve scheduler") == true)

        let page = try await anonymous.get("/")
        #expect(page.status == 200)
        #expect(page.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.text.contains("<html"))

        // Every asset the bundle holds is served with its type.
        let assets = try DashboardBundle.assets()
        #expect(!assets.isEmpty)
        for asset in assets {
            let answer = try await anonymous.get("/assets/\(asset)")
            #expect(answer.status == 200, "\(asset)")
            let type = answer.headers.first(name: "Content-Type") ?? ""
            if asset.hasSuffix(".js") { #expect(type.hasPrefix("text/javascript"), "\(asset): \(type)") }
            if asset.hasSuffix(".css") { #expect(type.hasPrefix("text/css"), "\(asset): \(type)") }
            if asset.hasSuffix(".svg") { #expect(type == "image/svg+xml", "\(asset): \(type)") }
        }
        #expect(try await anonymous.get("/assets/nope.js").status == 404)
        // Nothing outside the assets folder is reachable.
        #expect(try await anonymous.get("/assets/..%2Findex.html").status == 404)
        #expect(try await anonymous.get("/assets/.hidden").status == 404)
    }

    @Test(.timeLimit(.minutes(5)))
    func theDashboardLogsInWithACookieAndOut() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let token = try server.token()
        let anonymous = try server.client().withoutToken()

        let refused = try await anonymous.post("/api/v1/session", ["token": "not-the-token"])
        #expect(refused.status == 401)
        #expect(refused.headers.first(name: "Set-Cookie") == nil)
        #expect(try await anonymous.post("/api/v1/session", [String: Any]()).errorParameter == "token")
        #expect(try await anonymous.get("/api/v1/session").status == 401)

        let login = try await anonymous.post("/api/v1/session", ["token": token])
        #expect(login.status == 204)
        let setCookie = try #require(login.headers.first(name: "Set-Cookie"))
        #expect(setCookie.hasPrefix("hangar_session="))
        #expect(setCookie.contains("HttpOnly"))
        #expect(setCookie.contains("SameSite=Strict"))
        #expect(setCookie.contains("Path=/"))
        // The cookie is a session id, never the token.
        #expect(!setCookie.contains(token))
        let cookie = String(setCookie.prefix { $0 != ";" })

        var browser = anonymous
        browser.cookie = cookie
        let session = try await browser.get("/api/v1/session")
        #expect(session.status == 200)
        #expect(session.json["authenticated"] as? Bool == true)
        #expect(try await browser.get("/api/v1/flights").status == 200)
        // A made-up session id is no session.
        var forged = anonymous
        forged.cookie = "hangar_session=" + String(repeating: "a", count: 64)
        #expect(try await forged.get("/api/v1/flights").status == 401)

        let logout = try await browser.delete("/api/v1/session")
        #expect(logout.status == 204)
        let cleared = try #require(logout.headers.first(name: "Set-Cookie"))
        #expect(cleared.hasPrefix("hangar_session=;") && cleared.contains("Max-Age=0"))
        // The old cookie no longer works, even if the browser kept it.
        #expect(try await browser.get("/api/v1/flights").status == 401)
        #expect(try await browser.get("/api/v1/session").status == 401)
    }

    @Test(.timeLimit(.minutes(5)))
    func rotatingTheTokenLocksOutTheOldTokenAndSessionsAtOnce() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve()
        let old = try server.client()
        let login = try await old.withoutToken().post("/api/v1/session", ["token": try server.token()])
        var browser = old.withoutToken()
        browser.cookie = login.headers.first(name: "Set-Cookie").map { String($0.prefix { $0 != ";" }) }
        #expect(try await browser.get("/api/v1/flights").status == 200)

        let rotated = try test.hangar("token", "rotate")
        #expect(rotated.status == 0)
        let new = rotated.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(new.count == 64 && new != old.token)
        #expect(try server.token() == new)

        #expect(try await old.get("/api/v1/flights").status == 401)
        #expect(try await browser.get("/api/v1/flights").status == 401)
        var fresh = old
        fresh.token = new
        #expect(try await fresh.get("/api/v1/flights").status == 200)
    }

    @Test(.timeLimit(.minutes(5)))
    func aNonLoopbackAddressIsServedWithAWarningAndTheTokenRequired() async throws {
        let test = try FlightsTestHome()
        let server = try await test.serve("--host", "0.0.0.0")
        #expect(server.firstLine.hasPrefix("listening on http://0.0.0.0:"))
        #expect(server.stderr.contains("warning: listening on 0.0.0.0 reaches other machines"))
        let port = server.url.split(separator: ":").last.map(String.init) ?? ""
        let local = APIClient(base: "http://127.0.0.1:\(port)", token: nil)
        #expect(try await local.get("/api/v1/flights").status == 401)
        #expect(try await local.get("/healthz").status == 200)
    }
}

/// The dashboard files SwiftPM copied beside the test bundle (the same bundle the server reads).
enum DashboardBundle {
    static func assets() throws -> [String] {
        let folder = Checkout.file("Sources/Surfaces/HangarHTTP/Dashboard/assets")
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { path in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
            return !isFolder.boolValue && !path.split(separator: "/").contains { $0.hasPrefix(".") }
        }.sorted()
    }
}
