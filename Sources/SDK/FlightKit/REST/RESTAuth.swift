import Foundation

/// How a ``RESTClient`` authenticates each request. Its values are secrets: they never appear in
/// a description, a log line or an error (each prints as `***`).
///
///     RESTAuth.bearer(token)                                   // Authorization: Bearer …
///     RESTAuth.apiKey(name: "X-API-Key", value: key)           // a header
///     RESTAuth.apiKey(name: "api_key", value: key, in: .query) // a query parameter
///     RESTAuth.basic(username: "me", password: password)       // Authorization: Basic …
public enum RESTAuth: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    public enum Location: String, Sendable, Equatable {
        case header
        case query
    }

    case bearer(String)
    case apiKey(name: String, value: String, in: Location = .header)
    case basic(username: String, password: String)

    /// The headers this auth adds.
    var headers: [(String, String)] {
        switch self {
        case .bearer(let token): [("Authorization", "Bearer \(token)")]
        case .apiKey(let name, let value, .header): [(name, value)]
        case .apiKey(_, _, .query): []
        case .basic(let username, let password): [("Authorization", "Basic \(Self.basicCredentials(username, password))")]
        }
    }

    /// The query parameter this auth adds.
    var queryItem: (name: String, value: String)? {
        if case .apiKey(let name, let value, .query) = self { return (name, value) }
        return nil
    }

    /// Every string that must never be shown: the raw values and their encodings on the wire.
    var secrets: [String] {
        switch self {
        case .bearer(let token): [token]
        case .apiKey(_, let value, _): [value]
        case .basic(let username, let password): [password, Self.basicCredentials(username, password)]
        }
    }

    /// A header that carries a secret value (its value prints as `***`).
    var secretHeaderName: String? {
        switch self {
        case .bearer, .basic: "authorization"
        case .apiKey(let name, _, .header): name.lowercased()
        case .apiKey(_, _, .query): nil
        }
    }

    public var description: String {
        switch self {
        case .bearer: "bearer(***)"
        case .apiKey(let name, _, let location): "apiKey(\(name) in \(location.rawValue): ***)"
        case .basic(let username, _): "basic(\(username):***)"
        }
    }

    /// `dump(auth)` and debuggers see the masked form too.
    public var customMirror: Mirror { Mirror(self, children: ["auth": description]) }

    private static func basicCredentials(_ username: String, _ password: String) -> String {
        Data("\(username):\(password)".utf8).base64EncodedString()
    }
}

/// Masks secrets in what the REST kit shows: URLs (sensitive query parameters, user info) and any
/// text (error messages, response excerpts) that might echo a secret value.
struct Redactor: Sendable {
    static let mask = "***"
    /// Query parameters masked whatever their value: an API key's parameter, and the usual names.
    static let sensitiveParameters: Set<String> = [
        "access_token", "api_key", "apikey", "api-key", "key", "token", "auth", "password", "secret",
        "client_secret", "signature", "sig", "refresh_token", "id_token",
    ]

    private(set) var secrets: [String] = []
    private(set) var parameters: Set<String> = Redactor.sensitiveParameters
    private(set) var headers: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]

    init(auth: RESTAuth?, secrets extra: [String]) {
        if let auth {
            add(auth.secrets)
            if let item = auth.queryItem { parameters.insert(item.name.lowercased()) }
            if let header = auth.secretHeaderName { headers.insert(header) }
        }
        add(extra)
    }

    private mutating func add(_ values: [String]) {
        for value in values where value.count >= 3 {
            secrets.append(value)
            // As it appears percent-encoded in a URL, and in a JSON string that escapes slashes.
            if let encoded = value.addingPercentEncoding(withAllowedCharacters: URLBuilder.unreserved), encoded != value {
                secrets.append(encoded)
            }
            if value.contains("/") { secrets.append(value.replacingOccurrences(of: "/", with: "\\/")) }
        }
        // Longest first, so a secret containing another is masked whole.
        secrets.sort { $0.count > $1.count }
    }

    /// Masks, anywhere in `text`: the secret values, the values of sensitive parameters
    /// (`api_key=…`, `token=…`) and the password of a URL's user info (`https://me:…@host`).
    func text(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.mask)
        }
        guard result.contains("=") || result.contains("@") else { return result }
        let names = parameters.sorted().map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
        let patterns = [
            ("(?i)(^|[?&;,\\s\"'])((?:\(names))=)[^&#;,\\s\"']*", "$1$2\(Self.mask)"),
            ("(://[^/?#@:\\s]*:)[^/?#@\\s]*@", "$1\(Self.mask)@"),
        ]
        for (pattern, template) in patterns {
            guard let expression = try? NSRegularExpression(pattern: pattern) else { continue }
            result = expression.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result),
                                                         withTemplate: template)
        }
        return result
    }

    /// A URL as it may be shown.
    func url(_ url: String) -> String { text(url) }

    /// A header's value as it may be shown.
    func header(_ name: String, _ value: String) -> String {
        headers.contains(name.lowercased()) ? Self.mask : text(value)
    }
}
