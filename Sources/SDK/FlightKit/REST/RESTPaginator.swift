import Foundation

/// How a paginated read finds its next page, and when it stops.
public enum RESTPaginator: Sendable, Equatable {
    /// One request, no pages after it.
    case single
    /// The `Link` header's target of relation `rel` (GitHub: `<…&page=2>; rel="next"`); stops
    /// when there is none.
    case linkHeader(rel: String = "next")
    /// A next-page URL in the body at `path` (`next`, `links.next`, `$.paging.next`), absolute or
    /// relative to the request's; stops when it is absent, null or empty.
    case jsonLink(path: String)
    /// A cursor in the body at `path`, sent back as query parameter `parameter`; stops when it
    /// is absent, null, empty or the same as the one just sent.
    case cursor(path: String, parameter: String)
    /// `offset`/`limit` query parameters, the offset growing by `limit`; stops at an empty page,
    /// or once the offset reaches the total at `totalPath` when given.
    case offset(limit: Int, offsetParameter: String = "offset", limitParameter: String = "limit",
                start: Int = 0, totalPath: String? = nil)
    /// A page-number query parameter counting from `start`; stops at an empty page, or after the
    /// page count at `totalPagesPath` when given.
    case pageNumber(parameter: String = "page", start: Int = 1, totalPagesPath: String? = nil)
}

/// One page of a paginated read.
public struct RESTPage: Sendable, CustomStringConvertible {
    /// 1 for the first page.
    public let number: Int
    public let response: RESTResponse
    /// Where the rows are in the body (nil: see ``RESTResponse/rows(at:)``).
    public let dataPath: String?

    public var body: Data { response.body }

    /// The page's rows.
    public func rows() throws -> [IngestValue] { try response.rows(at: dataPath) }

    /// The page's whole body decoded as `Value`.
    public func decode<Value: Decodable>(_ type: Value.Type = Value.self, decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        try response.decode(Value.self, decoder: decoder)
    }

    public var description: String { "page \(number): \(response)" }
}

/// The pages of a paginated read, each fetched (with the client's retries) when iteration asks
/// for it; an error ends the iteration by throwing.
public struct RESTPages: AsyncSequence, Sendable {
    public typealias Element = RESTPage

    let client: RESTClient
    let path: String
    let query: [String: String?]
    let headers: [String: String]
    let paginator: RESTPaginator
    let dataPath: String?
    let maxPages: Int?

    public func makeAsyncIterator() -> Iterator { Iterator(pages: self) }

    public struct Iterator: AsyncIteratorProtocol {
        /// The next request: a path or absolute URL, with the query parameters to set on it.
        private var pending: (path: String, query: [String: String?])?
        private var number = 0
        private var offset: Int
        private var page: Int
        private let pages: RESTPages

        init(pages: RESTPages) {
            self.pages = pages
            var query = pages.query
            offset = 0
            page = 1
            switch pages.paginator {
            case .offset(let limit, let offsetParameter, let limitParameter, let start, _):
                offset = start
                query[offsetParameter] = String(start)
                query[limitParameter] = String(limit)
            case .pageNumber(let parameter, let start, _):
                page = start
                query[parameter] = String(start)
            default:
                break
            }
            pending = (pages.path, query)
        }

        public mutating func next() async throws -> RESTPage? {
            guard let request = pending else { return nil }
            if let maxPages = pages.maxPages, number >= maxPages {
                pending = nil
                return nil
            }
            let response = try await pages.client.get(request.path, query: request.query, headers: pages.headers)
            number += 1
            let current = RESTPage(number: number, response: response, dataPath: pages.dataPath)
            pending = try following(current, after: request)
            return current
        }

        /// The request after `page`, nil when the paginator says it was the last.
        private mutating func following(_ page: RESTPage, after request: (path: String, query: [String: String?]))
            throws -> (path: String, query: [String: String?])? {
            let response = page.response
            switch pages.paginator {
            case .single:
                return nil
            case .linkHeader(let rel):
                // The link carries the whole query (auth parameters are set again on sending).
                return response.links[rel.lowercased()].map { ($0, [:]) }
            case .jsonLink(let path):
                guard case .string(let link)? = try response.value(at: path), !link.isEmpty,
                      let target = URLBuilder.absolute(link, relativeTo: response.url) else { return nil }
                return (target, [:])
            case .cursor(let path, let parameter):
                let cursor: String?
                switch try response.value(at: path) {
                case .string(let text)?: cursor = text
                case .int(let number)?: cursor = String(number)
                case .decimal(let text)?, .bigInteger(let text)?: cursor = text
                default: cursor = nil
                }
                guard let cursor, !cursor.isEmpty, request.query[parameter] != .some(cursor) else { return nil }
                var query = request.query
                query[parameter] = cursor
                return (request.path, query)
            case .offset(let limit, let offsetParameter, _, _, let totalPath):
                guard try !page.rows().isEmpty else { return nil }
                offset += limit
                if let totalPath, let total = try Self.integer(response.value(at: totalPath)), offset >= total { return nil }
                var query = request.query
                query[offsetParameter] = String(offset)
                return (request.path, query)
            case .pageNumber(let parameter, _, let totalPagesPath):
                guard try !page.rows().isEmpty else { return nil }
                if let totalPagesPath, let total = try Self.integer(response.value(at: totalPagesPath)), self.page >= total { return nil }
                self.page += 1
                var query = request.query
                query[parameter] = String(self.page)
                return (request.path, query)
            }
        }

        private static func integer(_ value: IngestValue?) -> Int? {
            switch value {
            case .int(let number)?: Int(number)
            case .double(let number)?: Int(number)
            case .string(let text)?, .decimal(let text)?, .bigInteger(let text)?: Int(text)
            default: nil
            }
        }
    }
}
