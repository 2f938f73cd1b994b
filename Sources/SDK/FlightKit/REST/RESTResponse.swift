import Foundation

/// A successful (2xx) response, its body read whole.
public struct RESTResponse: Sendable, CustomStringConvertible {
    public let status: Int
    /// Header fields in the order received (names as sent by the server).
    public let headerFields: [(name: String, value: String)]
    public let body: Data
    /// The request's URL, secrets masked.
    public let redactedURL: String
    /// How many attempts this response took (1 when the first one succeeded).
    public let attempts: Int
    /// The URL requested, secrets included: paginators build the next request from it.
    let url: String
    let method: String
    let redactor: Redactor

    init(status: Int, headerFields: [(name: String, value: String)], body: Data, url: String, method: String,
         attempts: Int, redactor: Redactor) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
        self.url = url
        self.method = method
        self.attempts = attempts
        self.redactor = redactor
        redactedURL = redactor.url(url)
    }

    /// A header's value (case-insensitive name); several fields of one name are joined by `, `.
    public func header(_ name: String) -> String? {
        let values = headerFields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The `Link` header's targets by relation (`next`, `prev`, `last`, `first`), made absolute.
    public var links: [String: String] {
        guard let header = header("Link") else { return [:] }
        return LinkHeader.parse(header).reduce(into: [:]) { links, link in
            if let target = URLBuilder.absolute(link.target, relativeTo: url) {
                for relation in link.relations where links[relation] == nil { links[relation] = target }
            }
        }
    }

    /// The rate-limit headers (`x-ratelimit-limit`, `-remaining`, `-reset`, `-used`), when sent.
    public var rateLimit: RateLimitStatus? { RateLimitStatus(self.header) }

    /// The body decoded as `Value`.
    public func decode<Value: Decodable>(_ type: Value.Type = Value.self, decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        do {
            return try decoder.decode(Value.self, from: body)
        } catch {
            throw RESTError(.decoding, method: method, url: redactedURL, attempts: attempts,
                            detail: redactor.text("as \(Value.self): \(error)"))
        }
    }

    /// The body as one JSON value.
    public func json() throws -> IngestValue {
        do {
            return try JSONReader.value(from: body)
        } catch {
            throw RESTError(.decoding, method: method, url: redactedURL, attempts: attempts, detail: redactor.text("\(error)"))
        }
    }

    /// The rows of the body: with no `dataPath`, a top-level array's elements, the array held by
    /// a top-level object (its first member holding a list of objects, as many APIs wrap results),
    /// or the body itself as one row; with a path (`items`, `data.results`), what is there: a
    /// list's elements, or one object.
    public func rows(at dataPath: String? = nil) throws -> [IngestValue] {
        do {
            guard let dataPath else { return try JSONReader.rows(from: body) }
            let path = try JSONPath(dataPath)
            if let key = path.singleKey, body.first(where: { !Self.isWhitespace($0) }) == UInt8(ascii: "{") {
                return try JSONReader.rows(from: body, layout: .objectHolding(key: key))
            }
            switch path.value(in: try JSONReader.value(from: body)) {
            case .array(let items)?: return items
            case nil, .null?: return []
            case let value?: return [value]
            }
        } catch let error as RESTError {
            throw error
        } catch {
            throw RESTError(.decoding, method: method, url: redactedURL, attempts: attempts, detail: redactor.text("\(error)"))
        }
    }

    /// The JSON value at `path` in the body (`next`, `meta.cursor`), nil when absent.
    public func value(at path: String) throws -> IngestValue? {
        try JSONPath(path).value(in: try json())
    }

    public var description: String { "HTTP \(status) from \(method) \(redactedURL) (\(body.count) bytes)" }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

/// GitHub's (and many APIs') rate-limit headers.
public struct RateLimitStatus: Sendable, Equatable {
    public let limit: Int?
    public let remaining: Int?
    public let used: Int?
    /// When the window resets (`x-ratelimit-reset`, seconds since 1970).
    public let reset: Date?

    init?(_ header: (String) -> String?) {
        func number(_ name: String) -> Int? { header(name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
        limit = number("x-ratelimit-limit")
        remaining = number("x-ratelimit-remaining")
        used = number("x-ratelimit-used")
        reset = header("x-ratelimit-reset").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            .map { Date(timeIntervalSince1970: $0) }
        if limit == nil, remaining == nil, reset == nil { return nil }
    }

    /// True when no request is left in the window.
    public var isExhausted: Bool { remaining == 0 }
}

/// RFC 8288 `Link` headers: `<https://…?page=2>; rel="next", <…>; rel="last"`.
enum LinkHeader {
    struct Link: Equatable {
        let target: String
        let relations: [String]
    }

    static func parse(_ header: String) -> [Link] {
        var links: [Link] = []
        var rest = Substring(header)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let target = String(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
            // Parameters run to the next link (a comma outside quotes).
            var parameters = Substring()
            var inQuotes = false
            var end = rest.endIndex
            for index in rest.indices {
                let character = rest[index]
                if character == "\"" { inQuotes.toggle() }
                if character == ",", !inQuotes {
                    end = index
                    break
                }
            }
            parameters = rest[..<end]
            rest = end == rest.endIndex ? Substring() : rest[rest.index(after: end)...]
            var relations: [String] = []
            for parameter in parameters.split(separator: ";") {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == "rel" else { continue }
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                relations += value.split(separator: " ").map { $0.lowercased() }
            }
            links.append(Link(target: target, relations: relations))
        }
        return links
    }
}
