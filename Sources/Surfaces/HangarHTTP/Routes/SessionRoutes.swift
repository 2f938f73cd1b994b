import Foundation
import HangarViews
import HTTPTypes
import Hummingbird

/// `/api/v1/session`: the dashboard's login. The token is sent once and checked; the browser
/// gets an HttpOnly, SameSite=Strict cookie holding a random session id, so page scripts never
/// see the token and other sites can't ride on the login.
enum SessionRoutes {
    static func register(on router: Router<APIRequestContext>, api: HangarAPI) {
        router.post("/api/v1/session") { request, _ in
            // Sensitive: the body holds the token.
            let body = try await JSONBody.read(request, allowed: ["token"], sensitive: true)
            guard let token = try body.string("token").value, !token.isEmpty else {
                throw APIError.invalid("token", "token is required: the API token `hangar token show` prints")
            }
            guard api.authenticator.tokens.accepts(token) else {
                throw APIError(.unauthorized, "that is not the API token; `hangar token show` prints the current one")
            }
            let session = api.sessions.open(token: token)
            var response = APIResponse.empty()
            response.setCookie(Cookie(name: SessionStore.cookieName, value: session, path: "/", secure: false,
                                      httpOnly: true, sameSite: .strict))
            return response
        }

        router.get("/api/v1/session") { request, _ in
            guard api.authenticator.isAuthenticated(request) else { throw Authenticator.unauthorized() }
            return APIResponse.json(.object([("authenticated", .bool(true))]))
        }

        router.delete("/api/v1/session") { request, _ in
            if let session = Authenticator.sessionID(request) { api.sessions.close(session) }
            var response = APIResponse.empty()
            response.setCookie(Cookie(name: SessionStore.cookieName, value: "", maxAge: 0, path: "/", secure: false,
                                      httpOnly: true, sameSite: .strict))
            return response
        }
    }
}
