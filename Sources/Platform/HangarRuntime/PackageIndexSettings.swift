import Foundation

/// Where packages come from, as pip is configured on this machine (config files and `PIP_*`
/// variables), translated for uv, which does not read pip's configuration: without this, uv
/// would go to the public index on a machine whose pip goes through a mirror.
struct PackageIndexSettings: Sendable, Equatable {
    var indexURL: String?
    var extraIndexURLs: [String] = []
    var findLinks: [String] = []
    var trustedHosts: [String] = []
    var certificate: String?
    var noIndex = false

    /// Reads `pip config list` (whose entries include the `PIP_*` variables as `:env:.name`);
    /// a variable outranks an `install` section, which outranks `global`.
    static func fromPip(python: String, environment: [String: String]) -> PackageIndexSettings {
        let command = RunCommand(executable: python, arguments: ["-m", "pip", "config", "list"], environment: environment,
                                 workingDirectory: FileManager.default.temporaryDirectory)
        guard let result = try? ToolRunner.run(command, timeout: 60), result.outcome.succeeded else { return PackageIndexSettings() }
        return parse(result.stdout)
    }

    /// `fromPip`, asked once per interpreter in a process: pip takes a noticeable part of a
    /// second to answer, and its configuration does not change while Hangar runs.
    static func cached(python: String, environment: [String: String]) -> PackageIndexSettings {
        cache.value(for: python) { fromPip(python: python, environment: environment) }
    }

    private static let cache = SettingsCache()

    private final class SettingsCache: @unchecked Sendable {
        private let lock = NSLock()
        private var settings: [String: PackageIndexSettings] = [:]

        func value(for python: String, make: () -> PackageIndexSettings) -> PackageIndexSettings {
            lock.lock()
            defer { lock.unlock() }
            if let known = settings[python] { return known }
            let made = make()
            settings[python] = made
            return made
        }
    }

    static func parse(_ lines: [String]) -> PackageIndexSettings {
        var ranked: [String: (rank: Int, value: String)] = [:]
        for line in lines {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals])
            var value = String(line[line.index(after: equals)...])
            if value.count >= 2, let quote = value.first, quote == "'" || quote == "\"", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            guard let dot = key.lastIndex(of: ".") else { continue }
            let section = key[..<dot]
            let option = String(key[key.index(after: dot)...])
            let rank = section == ":env:" ? 3 : section == "install" ? 2 : section == "global" ? 1 : 0
            guard rank > 0 else { continue }
            if (ranked[option]?.rank ?? 0) < rank { ranked[option] = (rank, value) }
        }
        func list(_ option: String) -> [String] {
            // pip prints values with repr(): several values arrive as one string with a backslash-n between.
            (ranked[option]?.value ?? "").replacingOccurrences(of: "\\n", with: " ")
                .split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        }
        var settings = PackageIndexSettings()
        settings.indexURL = ranked["index-url"]?.value
        settings.extraIndexURLs = list("extra-index-url")
        settings.findLinks = list("find-links")
        settings.trustedHosts = list("trusted-host")
        settings.certificate = ranked["cert"]?.value
        settings.noIndex = ["1", "true", "yes", "on"].contains(ranked["no-index"]?.value.lowercased() ?? "")
        return settings
    }

    /// uv's variables for the same settings; variables already in `environment` win.
    func uvVariables(given environment: [String: String]) -> [String: String] {
        var variables: [String: String] = [:]
        func set(_ name: String, _ value: String?) {
            if let value, !value.isEmpty, environment[name] == nil { variables[name] = value }
        }
        if environment["UV_DEFAULT_INDEX"] == nil { set("UV_INDEX_URL", indexURL) }
        set("UV_EXTRA_INDEX_URL", extraIndexURLs.joined(separator: " "))
        set("UV_FIND_LINKS", findLinks.joined(separator: ","))
        set("UV_INSECURE_HOST", trustedHosts.joined(separator: " "))
        set("SSL_CERT_FILE", certificate)
        if noIndex { set("UV_NO_INDEX", "1") }
        return variables
    }
}
