import Foundation

/// The environment of one run, as the reference describes it, and the secret values to mask.
///
/// Layers, each overriding the one before:
/// 1. the allow-listed variables of Hangar's own environment (`isInherited`), nothing else;
/// 2. `HOME` = `defaultHome`, and dlt's data folder (`DLT_DATA_DIR`) in it;
/// 3. each config key, as a variable of exactly that name;
/// 4. each secret's parameters as `<secret name lower-cased>_<PARAM>` and as bare `<PARAM>`, in
///    the order the secrets are listed, so on a clash the last listed wins; a secret wins over
///    a config key of the same name (it is the credential; config is not secret). A parameter
///    named like a variable the platform sets is exposed only under its prefixed name;
/// 5. the platform's variables, which nothing overrides: `MOTHERDUCK_FLIGHT_ID`,
///    `MOTHERDUCK_FLIGHT_RUN_ID`, `MOTHERDUCK_FLIGHTS_RUN=1`, `MOTHERDUCK_TOKEN` (when the
///    account has a token) and `HANGAR_FLIGHT_ID`, `HANGAR_FLIGHT_NAME`, `HANGAR_RUN_ID`,
///    `HANGAR_RUN_NUMBER`, `HANGAR_IS_SCHEDULED` (`true`/`false`), `HANGAR_HOME`.
///
/// Pip reads a per-user config file under `$HOME`; since a run's HOME is its own, a user-level
/// pip config of Hangar's environment is passed on as `PIP_CONFIG_FILE` (unless the run sets
/// one), so `pip` inside a run uses the same package index as Hangar does.
public struct RunEnvironment: Sendable, Equatable {
    public struct Secret: Sendable, Equatable {
        public var name: String
        public var parameters: [String: String]

        public init(name: String, parameters: [String: String]) {
            self.name = name
            self.parameters = parameters
        }
    }

    /// Ids as the SQL surface shows them; UUIDs are written lower-case like DuckDB prints them.
    public var flightID: String
    public var flightName: String
    public var runID: String
    public var runNumber: Int
    public var isScheduled: Bool
    /// The run's effective config (stored config merged with the run's overrides).
    public var config: [String: String]
    /// In the order the flight lists them.
    public var secrets: [Secret]
    public var motherDuckToken: String?
    public var hangarHome: URL
    /// `HOME` unless the config sets one: a folder of the run's own (see `RunDirectory`).
    public var defaultHome: URL
    /// Hangar's own environment, filtered through `isInherited`.
    public var parentEnvironment: [String: String]

    public init(flightID: String, flightName: String, runID: String, runNumber: Int, isScheduled: Bool,
                config: [String: String] = [:], secrets: [Secret] = [], motherDuckToken: String? = nil,
                hangarHome: URL, defaultHome: URL,
                parentEnvironment: [String: String] = ProcessInfo.processInfo.environment) {
        self.flightID = flightID
        self.flightName = flightName
        self.runID = runID
        self.runNumber = runNumber
        self.isScheduled = isScheduled
        self.config = config
        self.secrets = secrets
        self.motherDuckToken = motherDuckToken
        self.hangarHome = hangarHome
        self.defaultHome = defaultHome
        self.parentEnvironment = parentEnvironment
    }

    /// Variables of Hangar's environment a run gets: the search path, locale and time zone,
    /// proxies, CA bundles, and package-index settings (this machine's pip reaches PyPI through
    /// a configured certificate and find-links; a flight that runs pip must see the same).
    public static let inheritedNames: Set<String> = [
        "PATH", "LANG", "LANGUAGE", "TZ",
        "http_proxy", "https_proxy", "no_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
        "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST", "PIP_FIND_LINKS", "PIP_CERT", "PIP_CLIENT_CERT",
        "PIP_DEFAULT_TIMEOUT", "PIP_RETRIES", "PIP_DISABLE_PIP_VERSION_CHECK", "PIP_CONFIG_FILE",
        "UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX", "UV_FIND_LINKS",
        "UV_INSECURE_HOST", "UV_NATIVE_TLS",
    ]

    public static func isInherited(_ name: String) -> Bool {
        inheritedNames.contains(name) || name.hasPrefix("LC_")
    }

    /// Names the platform sets; a config key or secret parameter cannot replace them.
    public static let platformNames: Set<String> = [
        "MOTHERDUCK_FLIGHT_ID", "MOTHERDUCK_FLIGHT_RUN_ID", "MOTHERDUCK_FLIGHTS_RUN", "MOTHERDUCK_TOKEN",
        "HANGAR_FLIGHT_ID", "HANGAR_FLIGHT_NAME", "HANGAR_RUN_ID", "HANGAR_RUN_NUMBER", "HANGAR_IS_SCHEDULED", "HANGAR_HOME",
    ]

    /// The complete environment of the run. Throws when a name or value cannot be passed to a
    /// program (empty name, `=` or NUL in a name, NUL in a value).
    public func variables() throws -> [String: String] {
        var variables = parentEnvironment.filter { Self.isInherited($0.key) }
        if variables["PIP_CONFIG_FILE"] == nil, let userConfig = Self.userPipConfig(in: parentEnvironment) {
            variables["PIP_CONFIG_FILE"] = userConfig
        }
        variables["HOME"] = defaultHome.path
        // dlt keeps pipelines under ~/.dlt, except for root, whose default is the machine-wide
        // /var/dlt: runs as root would share (and clobber) each other's pipeline folders.
        variables["DLT_DATA_DIR"] = defaultHome.appendingPathComponent(".dlt").path
        for (key, value) in config {
            try Self.check(name: key, value: value, what: "config key")
            variables[key] = value
        }
        for secret in secrets {
            let prefix = secret.name.lowercased()
            for (parameter, value) in secret.parameters.sorted(by: { $0.key < $1.key }) {
                try Self.check(name: parameter, value: value, what: "parameter of secret \(secret.name)")
                variables["\(prefix)_\(parameter)"] = value
                if !Self.platformNames.contains(parameter) { variables[parameter] = value }
            }
        }
        variables["MOTHERDUCK_FLIGHT_ID"] = flightID.lowercased()
        variables["MOTHERDUCK_FLIGHT_RUN_ID"] = runID.lowercased()
        variables["MOTHERDUCK_FLIGHTS_RUN"] = "1"
        if let motherDuckToken, !motherDuckToken.isEmpty {
            variables["MOTHERDUCK_TOKEN"] = motherDuckToken
        } else {
            variables["MOTHERDUCK_TOKEN"] = nil
        }
        variables["HANGAR_FLIGHT_ID"] = flightID.lowercased()
        variables["HANGAR_FLIGHT_NAME"] = flightName
        variables["HANGAR_RUN_ID"] = runID.lowercased()
        variables["HANGAR_RUN_NUMBER"] = String(runNumber)
        variables["HANGAR_IS_SCHEDULED"] = isScheduled ? "true" : "false"
        variables["HANGAR_HOME"] = hangarHome.path
        return variables
    }

    /// Every secret parameter value and the token: what the run's log must never show.
    public var secretValues: [String] {
        secrets.flatMap { $0.parameters.values } + [motherDuckToken].compactMap { $0 }
    }

    /// A masker for `secretValues`.
    public var masker: SecretMasker { SecretMasker(secretValues) }

    /// The per-user pip config pip itself would read (`$XDG_CONFIG_HOME/pip/pip.conf`,
    /// `~/.config/pip/pip.conf`, `~/.pip/pip.conf`), when one exists.
    static func userPipConfig(in environment: [String: String]) -> String? {
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.config"
        return ["\(configHome)/pip/pip.conf", "\(home)/.config/pip/pip.conf", "\(home)/.pip/pip.conf"]
            .first { FileManager.default.isReadableFile(atPath: $0) }
    }

    private static func check(name: String, value: String, what: String) throws {
        if name.isEmpty || name.contains("=") || name.contains("\0") {
            throw RuntimeError(.invalidEnvironment, "\(what) \(name.debugDescription) cannot be an environment variable name: use a non-empty name without \"=\" or NUL")
        }
        if value.contains("\0") {
            throw RuntimeError(.invalidEnvironment, "the value of \(what) \(name) contains a NUL byte, which no environment can hold; remove it")
        }
    }
}
