import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension ResourceEmitter {
    /// Emits a page's rows. Without a data path the body goes to the load package as it is
    /// (parsed once, in normalize; with an incremental, here, to filter it); with one, the rows
    /// at that path are emitted. Check ``shouldStop`` after each page.
    public func page(_ page: RESTPage) throws {
        if page.dataPath == nil {
            try json(page.body)
        } else {
            try rows(try page.rows())
        }
    }
}

extension Resource {
    /// A resource reading every page of a REST endpoint.
    ///
    ///     Resource.rest("issues", client: github, path: "/repos/duckdb/duckdb/issues",
    ///                   query: ["state": "all", "per_page": "100"], paginator: .linkHeader(),
    ///                   incrementalParameter: "since",
    ///                   hints: TableHints(table: "issues", writeDisposition: .merge, primaryKey: ["id"]),
    ///                   incremental: Incremental(cursorPath: "updated_at"))
    ///
    /// With `incrementalParameter`, the incremental's start value (see
    /// ``IncrementalCursor/startParameter``) is sent as that query parameter when there is one,
    /// so the API returns only what is new.
    public static func rest(_ name: String, client: RESTClient, path: String, query: [String: String?] = [:],
                            paginator: RESTPaginator = .linkHeader(), dataPath: String? = nil,
                            incrementalParameter: String? = nil, maxPages: Int? = nil,
                            hints: TableHints? = nil, incremental: Incremental? = nil) -> Resource {
        Resource(name, hints: hints, incremental: incremental) { emit in
            var query = query
            if let incrementalParameter, let start = emit.incremental?.startParameter {
                query[incrementalParameter] = start
            }
            for try await page in client.pages(path, query: query, paginator: paginator, dataPath: dataPath, maxPages: maxPages) {
                try emit.page(page)
                if emit.shouldStop { break }
            }
        }
    }
}

extension IncrementalCursor {
    /// ``startValue`` as a request parameter (`since=2026-11-25T14:03:11Z`); nil on a first run
    /// without an initial value, when everything is to be read.
    public var startParameter: String? { startValue?.restParameter }
}

extension IngestValue {
    /// The value as a query parameter: strings, numbers and booleans as they are, timestamps in
    /// ISO 8601 UTC (`2026-11-25T14:03:11Z`, microseconds only when there are some), dates as
    /// `YYYY-MM-DD`; nil for null, binary, objects and lists.
    public var restParameter: String? {
        switch self {
        case .string(let text), .decimal(let text), .bigInteger(let text): text
        case .int(let number): String(number)
        case .double(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .timestamp(let microseconds): Self.iso8601(microseconds)
        case .date(let days): String(Self.iso8601(Int64(days) * 86_400_000_000).prefix(10))
        case .time(let microseconds): String(Self.iso8601(microseconds).dropFirst(11).dropLast())
        case .null, .binary, .object, .array: nil
        }
    }

    private static func iso8601(_ microseconds: Int64) -> String {
        var seconds = microseconds / 1_000_000
        var fraction = microseconds % 1_000_000
        if fraction < 0 {
            seconds -= 1
            fraction += 1_000_000
        }
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                          Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        if fraction != 0 { text += String(format: ".%06d", Int(fraction)) }
        return text + "Z"
    }
}
