import HTTPTypes
import Hummingbird

/// Who may call the API: a request with `Authorization: Bearer <token>`, or with the dashboard's
/// session cookie (`hangar_session`, opened by `POST /api/v1/session`).
struct Authenticator: Sendable {
    let tokens: TokenVerifier
    let sessions: SessionStore

    func isAuthenticated(_ request: Request) -> Bool {
        if let presented = Self.bearerToken(request) {
            return tokens.accepts(presented)
        }
        if let session = Self.sessionID(request) {
            return sessions.isValid(session, currentToken: tokens.currentToken())
        }
        return false
    }

    /// The token of an `Authorization: Bearer …` header (the scheme in any case).
    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    static func sessionID(_ request: Request) -> String? {
        request.cookies[SessionStore.cookieName]?.value
    }

    static func unauthorized() -> APIError {
        var error = APIError(.unauthorized, "this endpoint needs the API token: send Authorization: Bearer <token> (`hangar token show` prints it), or log in with POST /api/v1/session")
        error.headers[.wwwAuthenticate] = "Bearer realm=\"hangar\""
        return error
    }
}

/// Refuses requests that are not authenticated, before their handler runs.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard authenticator.isAuthenticated(request) else { throw Authenticator.unauthorized() }
        return try await next(request, context)
    }
}
