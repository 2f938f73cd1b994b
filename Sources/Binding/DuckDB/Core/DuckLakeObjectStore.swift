import Foundation

/// How a lake whose data path is an `s3://` URL reaches its bucket: AWS S3 or any S3-compatible
/// server (MinIO, Ceph, moto, R2 …). Every field is optional; what is missing comes from the
/// environment of the process attaching the lake, with the AWS tools' names
/// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION` or
/// `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`), so each machine may hold
/// its own credentials and a descriptor need not carry any.
public struct DuckLakeObjectStore: Sendable, Equatable, Codable {
    /// `host[:port]`, or a URL whose `http://` scheme also turns TLS off.
    public var endpoint: String?
    public var region: String?
    /// `path` (`endpoint/bucket/key`, what most S3-compatible servers want) or `vhost`.
    public var urlStyle: String?
    public var useSSL: Bool?
    public var keyID: String?
    public var secret: String?
    public var sessionToken: String?

    public init(endpoint: String? = nil, region: String? = nil, urlStyle: String? = nil, useSSL: Bool? = nil,
                keyID: String? = nil, secret: String? = nil, sessionToken: String? = nil) {
        self.endpoint = endpoint
        self.region = region
        self.urlStyle = urlStyle
        self.useSSL = useSSL
        self.keyID = keyID
        self.secret = secret
        self.sessionToken = sessionToken
    }

    enum CodingKeys: String, CodingKey {
        case endpoint, region, secret
        case urlStyle = "url_style"
        case useSSL = "use_ssl"
        case keyID = "key_id"
        case sessionToken = "session_token"
    }

    /// This store with what it leaves open filled from `environment`.
    public func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) -> DuckLakeObjectStore {
        func variable(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        var store = self
        store.keyID = keyID ?? variable("AWS_ACCESS_KEY_ID")
        store.secret = secret ?? variable("AWS_SECRET_ACCESS_KEY")
        store.sessionToken = sessionToken ?? (keyID == nil ? variable("AWS_SESSION_TOKEN") : nil)
        store.region = region ?? variable("AWS_REGION", "AWS_DEFAULT_REGION")
        store.endpoint = endpoint ?? variable("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
        if let given = store.endpoint, let scheme = given.range(of: "://") {
            if store.useSSL == nil { store.useSSL = given.lowercased().hasPrefix("https") }
            store.endpoint = String(given[scheme.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            // A custom endpoint is nearly always an S3-compatible server addressed by path.
            if store.urlStyle == nil { store.urlStyle = "path" }
        }
        return store
    }

    /// The secret's values, for masking them out of messages.
    var confidentialValues: [String] {
        [secret, sessionToken].compactMap { $0 }.filter { !$0.isEmpty }
    }

    /// `CREATE OR REPLACE TEMPORARY SECRET` giving this store's credentials to every `s3://` path
    /// under `scope` (so lakes in other buckets keep their own).
    func secretStatement(name: String, scope: String) -> String {
        var options = ["TYPE s3", "SCOPE \(quoteLiteral(scope))"]
        if let keyID { options.append("KEY_ID \(quoteLiteral(keyID))") }
        if let secret { options.append("SECRET \(quoteLiteral(secret))") }
        if let sessionToken { options.append("SESSION_TOKEN \(quoteLiteral(sessionToken))") }
        if let region { options.append("REGION \(quoteLiteral(region))") }
        if let endpoint { options.append("ENDPOINT \(quoteLiteral(endpoint))") }
        if let urlStyle { options.append("URL_STYLE \(quoteLiteral(urlStyle))") }
        if let useSSL { options.append("USE_SSL \(useSSL)") }
        return "CREATE OR REPLACE TEMPORARY SECRET \(quoteIdentifier(name)) (\(options.joined(separator: ", ")))"
    }
}
