import Foundation
import HangarViews
import Hummingbird

/// `?limit=N&offset=M` on list endpoints: limit 1–1000 (default 50), offset ≥ 0. Lists are read
/// one item past the limit, so `next_offset` is null exactly when there is nothing more.
struct Page: Sendable {
    static let defaultLimit = 50
    static let maxLimit = 1000

    let limit: Int
    let offset: Int

    init(_ request: Request) throws {
        limit = try QueryParameters.int(request, "limit", default: Self.defaultLimit, in: 1...Self.maxLimit)
        offset = try QueryParameters.int(request, "offset", default: 0, in: 0...Int(Int32.max))
    }

    /// How many to read: one more than the page, to learn whether another page follows.
    var probe: Int { limit + 1 }

    /// `{"items", "limit", "offset", "next_offset"}` from what was read with ``probe``.
    func response<Item>(_ fetched: [Item], _ json: (Item) -> JSONValue) -> JSONValue {
        let items = fetched.prefix(limit)
        let more = fetched.count > limit
        return .object([
            ("items", .array(items.map(json))),
            ("limit", .int(limit)),
            ("offset", .int(offset)),
            ("next_offset", more ? .int(offset + items.count) : .null),
        ])
    }
}

/// Reading query parameters with the parameter named in every refusal.
enum QueryParameters {
    /// Decoded as HTML forms encode a query (`+` is a space, then percent escapes), so
    /// `?cron=15+7+*+*+*` from a form reads like `?cron=15%207%20*%20*%20*`.
    static func string(_ request: Request, _ name: String) -> String? {
        guard let query = request.uri.query else { return nil }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard decode(parts[0]) == name else { continue }
            return parts.count > 1 ? decode(parts[1]) : ""
        }
        return nil
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    static func int(_ request: Request, _ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = string(request, name), !text.isEmpty else { return fallback }
        guard let number = Int(text) else {
            throw APIError.invalid(name, "\(name) must be a whole number, not \"\(text.prefix(40))\"")
        }
        guard range.contains(number) else {
            throw APIError.invalid(name, "\(name) must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
        }
        return number
    }

    /// How numbers are written (`DuckDBJSON.Numbers`): `exact` (the default) or `javascript`.
    static func numbers(_ text: String?, parameter: String) throws -> DuckDBJSON.Numbers {
        guard let text, !text.isEmpty else { return .exact }
        guard let numbers = DuckDBJSON.Numbers(rawValue: text) else {
            throw APIError.invalid(parameter, "\(parameter) must be exact (numbers with all their digits) or javascript (integers beyond 2^53 and decimals as strings), not \"\(text.prefix(40))\"")
        }
        return numbers
    }
}
