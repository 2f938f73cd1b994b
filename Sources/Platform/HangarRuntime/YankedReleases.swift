import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Requirements pinned to a release the package index marks as yanked (PEP 592): pip and uv still
/// install an exact pin of one, but its publisher withdrew it, usually for a serious bug. The guide's
/// own `dlt[motherduck]==1.27.0` is one ("Data-loss bug: incremental merge truncates the destination
/// table"). Creating or updating a flight says so, with the index's reason: a warning, not a refusal.
///
/// The index is the one pip is configured with (`PIP_INDEX_URL`, pip's configuration), read
/// through its JSON simple API (PEP 691) or, failing that, its HTML page (`data-yanked`). An index
/// that cannot be reached gives no warning: the check must never stop a flight from being saved.
public struct YankedRelease: Sendable, Equatable {
    /// The requirement line as written.
    public let requirement: String
    public let project: String
    public let version: String
    /// The index's reason, if it gave one.
    public let reason: String?

    /// One line for a person: what, why, and what to do.
    public var warning: String {
        "\(requirement) pins a yanked release (\(project) \(version)" + (reason.map { ": \"\($0)\"" } ?? "") + "); pick another version"
    }
}

public enum YankedReleases {
    /// The yanked releases among `requirements` (a requirements.txt text). At most `timeout`
    /// seconds per project asked about.
    public static func check(_ requirements: String?, indexURL: String? = nil, timeout: TimeInterval = 5) -> [YankedRelease] {
        guard let requirements else { return [] }
        let found = uncachedCheck(requirements, indexURL: indexURL, timeout: timeout)
        answers.store(found, for: requirements)
        return found
    }

    /// What the last `check` of the same requirements found in this process, without asking the
    /// index (nil when none did): for views that must not wait on the network.
    public static func known(_ requirements: String?) -> [YankedRelease]? {
        guard let requirements else { return [] }
        return answers.value(for: requirements)
    }

    private static let answers = Answers()

    private final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var found: [String: [YankedRelease]] = [:]

        func store(_ releases: [YankedRelease], for requirements: String) {
            lock.withLock {
                if found.count > 256 { found.removeAll() }
                found[requirements] = releases
            }
        }

        func value(for requirements: String) -> [YankedRelease]? {
            lock.withLock { found[requirements] }
        }
    }

    private static func uncachedCheck(_ requirements: String, indexURL: String?, timeout: TimeInterval) -> [YankedRelease] {
        let pins = PythonRequirements(requirements).normalized.compactMap(pin(in:))
        guard !pins.isEmpty else { return [] }
        let index = indexURL ?? configuredIndex()
        return pins.compactMap { pin in
            guard let files = releaseFiles(project: pin.project, index: index, timeout: timeout) else { return nil }
            let matching = files.filter { isRelease($0.filename, of: pin) }
            guard !matching.isEmpty, matching.allSatisfy({ $0.yanked != nil }) else { return nil }
            let reason = matching.compactMap { $0.yanked }.first { !$0.isEmpty }
            return YankedRelease(requirement: pin.line, project: pin.project, version: pin.version, reason: reason)
        }
    }

    /// Whether `filename` is a wheel or source archive of the pinned release (wheels spell the
    /// name with underscores, archives as published).
    static func isRelease(_ filename: String, of pin: Pin) -> Bool {
        let lower = filename.lowercased()
        let version = pin.version.lowercased()
        let stems = Set([pin.project, pin.project.replacingOccurrences(of: "-", with: "_"), pin.project.replacingOccurrences(of: "-", with: ".")])
        return stems.contains { stem in
            let head = stem + "-" + version
            return lower.hasPrefix(head + "-") || lower.hasPrefix(head + ".tar") || lower == head + ".zip"
        }
    }

    struct Pin: Equatable {
        let line: String
        /// PEP 503's normalized name.
        let project: String
        let version: String
    }

    /// `name[extras]==version` (or `===`), with optional markers: an exact pin.
    static func pin(in line: String) -> Pin? {
        let withoutMarkers = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? line
        guard let range = withoutMarkers.range(of: "==") else { return nil }
        var name = withoutMarkers[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
        var version = withoutMarkers[range.upperBound...].trimmingCharacters(in: .whitespaces)
        if version.hasPrefix("=") { version.removeFirst() }
        if let bracket = name.firstIndex(of: "[") { name = String(name[..<bracket]) }
        version = version.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !version.isEmpty, !version.contains(","), !version.contains("*"),
              name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else { return nil }
        return Pin(line: line, project: normalize(name), version: version)
    }

    static func normalize(_ name: String) -> String {
        var result = ""
        var lastWasSeparator = false
        for character in name.lowercased() {
            if "._-".contains(character) {
                if !lastWasSeparator { result.append("-") }
                lastWasSeparator = true
            } else {
                result.append(character)
                lastWasSeparator = false
            }
        }
        return result
    }

    struct ReleaseFile: Equatable {
        let filename: String
        /// nil when not yanked; the reason (possibly empty) when yanked.
        let yanked: String?
    }

    static func releaseFiles(project: String, index: String, timeout: TimeInterval) -> [ReleaseFile]? {
        guard let url = URL(string: index.hasSuffix("/") ? "\(index)\(project)/" : "\(index)/\(project)/") else { return nil }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.setValue("application/vnd.pypi.simple.v1+json, text/html;q=0.1", forHTTPHeaderField: "Accept")
        guard let (data, contentType) = fetch(request, timeout: timeout) else { return nil }
        if contentType.contains("json") { return parseJSON(data) }
        return parseHTML(String(decoding: data, as: UTF8.self))
    }

    static func parseJSON(_ data: Data) -> [ReleaseFile]? {
        guard let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = document["files"] as? [[String: Any]] else { return nil }
        return files.compactMap { file in
            guard let name = file["filename"] as? String else { return nil }
            switch file["yanked"] {
            case let reason as String: return ReleaseFile(filename: name, yanked: reason)
            case let flag as Bool: return ReleaseFile(filename: name, yanked: flag ? "" : nil)
            default: return ReleaseFile(filename: name, yanked: nil)
            }
        }
    }

    /// PEP 592 in HTML: `<a href="…" data-yanked="reason">filename</a>`.
    static func parseHTML(_ html: String) -> [ReleaseFile] {
        var files: [ReleaseFile] = []
        var rest = html[...]
        while let open = rest.range(of: "<a "), let close = rest[open.upperBound...].range(of: ">"),
              let end = rest[close.upperBound...].range(of: "</a>") {
            let attributes = rest[open.upperBound..<close.lowerBound]
            let name = rest[close.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespaces)
            var yanked: String?
            if let marker = attributes.range(of: "data-yanked") {
                let after = attributes[marker.upperBound...]
                if after.hasPrefix("=\""), let quote = after.dropFirst(2).firstIndex(of: "\"") {
                    yanked = unescape(String(after.dropFirst(2)[..<quote]))
                } else {
                    yanked = ""
                }
            }
            files.append(ReleaseFile(filename: name, yanked: yanked))
            rest = rest[end.upperBound...]
        }
        return files
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    private static func fetch(_ request: URLRequest, timeout: TimeInterval) -> (Data, String)? {
        final class Box: @unchecked Sendable { var value: (Data, String)? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: request) { data, response, _ in
            if let data, let http = response as? HTTPURLResponse, http.statusCode == 200 {
                box.value = (data, http.value(forHTTPHeaderField: "Content-Type") ?? "")
            }
            done.signal()
        }
        task.resume()
        guard done.wait(timeout: .now() + timeout) == .success else {
            task.cancel()
            return nil
        }
        return box.value
    }

    /// pip's index for this machine: `PIP_INDEX_URL`, else pip's configuration, else PyPI.
    static func configuredIndex(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let url = environment["PIP_INDEX_URL"], !url.isEmpty { return url }
        if let python = try? PythonInterpreter.find(),
           let url = PackageIndexSettings.cached(python: python.path, environment: environment).indexURL, !url.isEmpty {
            return url
        }
        return "https://pypi.org/simple"
    }
}
