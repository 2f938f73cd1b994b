import Foundation

/// The dashboard's logins. The cookie holds a random session id, never the token; the server
/// remembers which token each session logged in with, so rotating the token ends every session,
/// and so does a restart (sessions live in memory only).
final class SessionStore: @unchecked Sendable {
    static let cookieName = "hangar_session"
    /// Sessions end after this long even if the browser keeps the cookie.
    static let lifetime: TimeInterval = 7 * 24 * 3600
    /// Logins beyond this many push out the oldest, so repeated logins can't grow memory.
    static let capacity = 1000

    private struct Session {
        let token: String
        let created: Date
    }

    private let lock = NSLock()
    private var sessions: [String: Session] = [:]

    /// A new session for a caller who presented `token` (already verified).
    func open(token: String, now: Date = Date()) -> String {
        let id = ServerToken.generate()
        lock.withLock {
            if sessions.count >= Self.capacity,
               let oldest = sessions.min(by: { $0.value.created < $1.value.created })?.key {
                sessions[oldest] = nil
            }
            sessions[id] = Session(token: token, created: now)
        }
        return id
    }

    /// Whether `id` is a live session opened with the token in force now.
    func isValid(_ id: String, currentToken: String?, now: Date = Date()) -> Bool {
        guard let currentToken else { return false }
        return lock.withLock {
            guard let session = sessions[id] else { return false }
            guard now.timeIntervalSince(session.created) < Self.lifetime,
                  TokenVerifier.constantTimeEquals(session.token, currentToken) else {
                sessions[id] = nil
                return false
            }
            return true
        }
    }

    func close(_ id: String) {
        lock.withLock { sessions[id] = nil }
    }
}
