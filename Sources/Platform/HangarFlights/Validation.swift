import Foundation
import HangarScheduling

/// Every rule on what a flight, a run override or a secret may contain. The limits are the
/// hosted service's where it has one; the rest are Hangar's, stated in the messages.
enum Validation {
    static let maxSourceBytes = 204_800
    static let maxRequirementsBytes = 20_480
    static let maxNameLength = 128
    static let maxLabelLength = 256
    static let maxRuntimeSec = Int(UInt32.max)

    /// Names the runtime sets in every run's environment; config keys and secret params can't
    /// use them. Compared ignoring case (`motherduck_token` is read by dlt too).
    static let reservedNames: Set<String> = [
        "MOTHERDUCK_TOKEN", "MOTHERDUCK_FLIGHTS_RUN", "MOTHERDUCK_FLIGHT_ID", "MOTHERDUCK_FLIGHT_RUN_ID",
    ]
    static let reservedPrefix = "HANGAR_"

    static func isReserved(_ key: String) -> Bool {
        let upper = key.uppercased()
        return reservedNames.contains(upper) || upper.hasPrefix(reservedPrefix)
    }

    /// Flight names: 1–128 characters of ASCII letters, digits, `_`, `-` and `.`, starting with a
    /// letter, digit or `_`, and not shaped like a UUID. They appear unquoted on command lines and
    /// in URLs, and NOCASE (ASCII) uniqueness must cover every character.
    static func flightName(_ name: String) throws(FlightsError) -> String {
        guard !name.isEmpty else {
            throw .invalid("name", "name is required and must not be empty")
        }
        guard name.count <= maxNameLength else {
            throw .invalid("name", "name is \(name.count) characters long; the limit is \(maxNameLength)")
        }
        let allowed = name.unicodeScalars.allSatisfy { isASCIIAlphanumeric($0) || "_-.".unicodeScalars.contains($0) }
        let first = name.unicodeScalars.first!
        guard allowed, isASCIIAlphanumeric(first) || first == "_" else {
            throw .invalid("name", "name \"\(name)\" is not allowed: use letters, digits, '_', '-' and '.' (starting with a letter, digit or '_')")
        }
        guard UUID(uuidString: name) == nil else {
            throw .invalid("name", "name \"\(name)\" looks like a flight id; pick a name that is not a UUID")
        }
        return name
    }

    static func sourceCode(_ source: String) throws(FlightsError) -> String {
        guard !source.isEmpty else {
            throw .invalid("source_code", "source_code is required and must not be empty")
        }
        let bytes = source.utf8.count
        guard bytes <= maxSourceBytes else {
            throw .invalid("source_code", "source_code is \(bytes) bytes; the limit is \(maxSourceBytes) bytes (put data in files the flight downloads, not in its source)")
        }
        return source
    }

    /// Empty requirements mean none.
    static func requirements(_ requirements: String?) throws(FlightsError) -> String? {
        guard let requirements, !requirements.isEmpty else { return nil }
        let bytes = requirements.utf8.count
        guard bytes <= maxRequirementsBytes else {
            throw .invalid("requirements_txt", "requirements_txt is \(bytes) bytes; the limit is \(maxRequirementsBytes) bytes")
        }
        return requirements
    }

    /// Nil, empty or blank means no schedule; otherwise the trimmed expression, which must parse.
    static func scheduleCron(_ expression: String?) throws(FlightsError) -> String? {
        guard let trimmed = expression?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
            return nil
        }
        _ = try schedule(trimmed)
        return trimmed
    }

    static func schedule(_ expression: String) throws(FlightsError) -> CronSchedule {
        do {
            return try CronSchedule(expression)
        } catch {
            throw .invalid("schedule_cron", "schedule_cron is not a valid 5-field cron expression (UTC): \(error.message); pass '' to remove the schedule")
        }
    }

    static func config(_ config: [String: String]) throws(FlightsError) -> [String: String] {
        try environmentEntries(config, parameter: "config", what: "config key")
        return config
    }

    /// Keys and values become environment variables of the run: keys non-empty without `=` or
    /// NUL and not reserved, values without NUL. Values are never quoted in messages (secret
    /// params use the same rules).
    static func environmentEntries(_ entries: [String: String], parameter: String, what: String) throws(FlightsError) {
        for key in entries.keys.sorted() {
            guard !key.isEmpty else {
                throw .invalid(parameter, "\(parameter) has an empty key; keys become environment variable names and must not be empty")
            }
            guard !key.contains("=") else {
                throw .invalid(parameter, "\(what) \"\(key)\" contains '='; environment variable names can't contain '='")
            }
            guard !key.unicodeScalars.contains("\0") else {
                throw .invalid(parameter, "\(what) \"\(key.replacingOccurrences(of: "\0", with: "\\0"))\" contains a NUL character")
            }
            guard isEnvironmentName(key) else {
                throw .invalid(parameter, "\(what) \(String(reflecting: key)) is not an environment variable name (a run gets it as one): use ASCII letters, digits and '_', not starting with a digit")
            }
            guard !isReserved(key) else {
                throw .invalid(parameter, "\(what) \"\(key)\" is reserved: the runtime sets MOTHERDUCK_TOKEN, MOTHERDUCK_FLIGHTS_RUN, MOTHERDUCK_FLIGHT_ID, MOTHERDUCK_FLIGHT_RUN_ID and HANGAR_* itself; pick another name")
            }
            guard !entries[key]!.unicodeScalars.contains("\0") else {
                throw .invalid(parameter, "the value of \(what) \"\(key)\" contains a NUL character, which an environment variable can't hold")
            }
        }
    }

    /// POSIX's portable variable names: what every shell and `os.environ` can use.
    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { isASCIIAlphanumeric($0) || $0 == "_" }
    }

    /// Secret names: 1–128 characters of ASCII letters, digits and `_`, not starting with a
    /// digit, lower-cased (DuckDB lower-cases secret names, and runs see `<name>_<PARAM>`).
    static func secretName(_ name: String, parameter: String) throws(FlightsError) -> String {
        guard !name.isEmpty else {
            throw .invalid(parameter, "\(parameter) contains an empty secret name")
        }
        let first = name.unicodeScalars.first!
        guard name.count <= maxNameLength,
              name.unicodeScalars.allSatisfy({ isASCIIAlphanumeric($0) || $0 == "_" }),
              !("0"..."9").contains(first)
        else {
            throw .invalid(parameter, "secret name \"\(name)\" is not allowed: use up to \(maxNameLength) letters, digits and '_', not starting with a digit")
        }
        return name.lowercased()
    }

    static func secretNames(_ names: [String]) throws(FlightsError) -> [String] {
        var result: [String] = []
        for name in names { result.append(try secretName(name, parameter: "flight_secret_names")) }
        return result
    }

    static func secretParams(_ params: [String: String]) throws(FlightsError) -> [String: String] {
        guard !params.isEmpty else {
            throw .invalid("params", "a secret needs at least one param (PARAMS MAP {'API_KEY': '…'})")
        }
        try environmentEntries(params, parameter: "params", what: "secret param")
        return params
    }

    /// Labels (access token name, instance type): empty means unset.
    static func label(_ value: String?, parameter: String) throws(FlightsError) -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard value.count <= maxLabelLength, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid(parameter, "\(parameter) must be at most \(maxLabelLength) characters without control characters")
        }
        return value
    }

    static func maxRuntimeSec(_ seconds: Int?) throws(FlightsError) -> Int? {
        guard let seconds else { return nil }
        guard (0...maxRuntimeSec).contains(seconds) else {
            throw .invalid("max_runtime_sec", "max_runtime_sec must be between 0 (no limit) and \(maxRuntimeSec), not \(seconds)")
        }
        return seconds
    }

    static func runNumber(_ number: Int) throws(FlightsError) {
        guard number >= 1 else {
            throw .invalid("run_number", "run_number must be 1 or more, not \(number)")
        }
    }

    static func versionNumber(_ number: Int) throws(FlightsError) {
        guard number >= 1 else {
            throw .invalid("version_number", "version_number must be 1 or more, not \(number)")
        }
    }

    /// LIMIT is at least 1 when given; OFFSET at least 0.
    static func page(limit: Int?, offset: Int?) throws(FlightsError) {
        if let limit, limit < 1 {
            throw .invalid("LIMIT", "\"LIMIT\" must be at least 1, not \(limit)")
        }
        if let offset, offset < 0 {
            throw .invalid("OFFSET", "\"OFFSET\" must be 0 or more, not \(offset)")
        }
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
