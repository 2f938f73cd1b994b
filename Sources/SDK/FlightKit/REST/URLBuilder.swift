import Foundation

/// Request URLs: a path joined to the base URL, query parameters set on it.
enum URLBuilder {
    /// RFC 3986's unreserved characters: everything else in a query name or value is
    /// percent-encoded (so `+`, `&`, `=` and `:` in a value survive the trip).
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `path` under `base`: an absolute `http(s)://` URL is taken as it is; otherwise it is appended
    /// to the base URL's path (`https://host/api/v3` + `/repos/a/b` → `https://host/api/v3/repos/a/b`).
    static func resolve(_ path: String, base: URL?) throws(RESTError) -> String {
        let lowered = path.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") { return path }
        guard let base else {
            throw RESTError(.invalidURL, method: "", url: path, attempts: 0,
                            detail: "a relative path needs the client's base URL")
        }
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        let relative = path.drop { $0 == "/" }
        return relative.isEmpty ? text : text + "/" + relative
    }

    /// `url` with each parameter set (replacing parameters of the same name already there, and
    /// removing those whose value is nil); new parameters follow in name order.
    static func setting(_ parameters: [String: String?], in url: String) -> String {
        guard !parameters.isEmpty else { return url }
        let fragmentSplit = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let withoutFragment = String(fragmentSplit[0])
        let parts = withoutFragment.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let existing = parts.count == 2 ? parts[1].split(separator: "&").map(String.init) : []
        let names = Set(parameters.keys)
        var items = existing.filter { pair in
            let name = String(pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0])
            return !names.contains(name.removingPercentEncoding ?? name)
        }
        for name in parameters.keys.sorted() {
            guard let value = parameters[name], let value else { continue }
            items.append(encode(name) + "=" + encode(value))
        }
        var result = String(parts[0])
        if !items.isEmpty { result += "?" + items.joined(separator: "&") }
        if fragmentSplit.count == 2 { result += "#" + fragmentSplit[1] }
        return result
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// The value of a query parameter of `url`, decoded.
    static func parameter(_ name: String, in url: String) -> String? {
        URLComponents(string: url)?.queryItems?.first { $0.name == name }?.value
    }

    /// A link target (absolute, or relative to the URL it came from) as an absolute URL.
    static func absolute(_ link: String, relativeTo url: String) -> String? {
        guard let base = URL(string: url), let resolved = URL(string: link, relativeTo: base) else { return nil }
        return resolved.absoluteString
    }
}

/// A value inside a JSON document by a simple path: `next`, `links.next`, `$.meta.cursor`,
/// `data[0].id`, `$['odd.key']`. No wildcards or filters.
struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    let steps: [Step]
    let description: String

    init(_ text: String) throws(RESTError) {
        description = text
        var steps: [Step] = []
        var rest = Substring(text)
        if rest.hasPrefix("$") { rest = rest.dropFirst() }
        func fail() -> RESTError {
            RESTError(.invalidPath, method: "", url: "", attempts: 0, detail: "cannot read the JSON path \"\(text)\"")
        }
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                continue
            }
            if rest.hasPrefix("['") || rest.hasPrefix("[\"") {
                let quote = rest[rest.index(after: rest.startIndex)]
                rest = rest.dropFirst(2)
                guard let end = rest.firstIndex(of: quote), rest[rest.index(after: end)...].hasPrefix("]") else { throw fail() }
                steps.append(.key(String(rest[..<end])))
                rest = rest[rest.index(end, offsetBy: 2)...]
            } else if rest.hasPrefix("[") {
                rest = rest.dropFirst()
                guard let end = rest.firstIndex(of: "]"), let index = Int(rest[..<end]) else { throw fail() }
                steps.append(.index(index))
                rest = rest[rest.index(after: end)...]
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                guard end != rest.startIndex else { throw fail() }
                steps.append(.key(String(rest[..<end])))
                rest = rest[end...]
            }
        }
        self.steps = steps
    }

    func value(in document: IngestValue) -> IngestValue? {
        var current = document
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object(let fields)):
                guard let field = fields.first(where: { $0.key == key }) else { return nil }
                current = field.value
            case (.index(let index), .array(let items)):
                let position = index < 0 ? items.count + index : index
                guard items.indices.contains(position) else { return nil }
                current = items[position]
            default:
                return nil
            }
        }
        return current
    }

    /// A single key: the rows sit in a member of a top-level object.
    var singleKey: String? {
        if steps.count == 1, case .key(let key) = steps[0] { return key }
        return nil
    }
}
