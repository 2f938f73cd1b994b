import Foundation

/// The GitHub endpoints the replay serves, answered from one generation's sample files.
struct SampleAPI: Sendable {
    struct Answer: Sendable {
        var status: Int
        var body: Data
        var headers: [(String, String)] = []
    }

    let fixtures: URL

    /// `GET /repos/{owner}/{repo}`: the repository object as stored.
    func repository(owner: String, repo: String, generation: String) -> Answer {
        guard let data = file(generation, "repos", owner, repo) else {
            return Self.message(404, "Not Found", documentation: "https://docs.github.com/rest/repos/repos#get-a-repository")
        }
        return Answer(status: 200, body: data)
    }

    /// `GET /repos/{owner}/{repo}/issues`, with GitHub's parameters: `state` (open, closed, all;
    /// default open), `since` (updated at or after), `labels` (comma-separated, all required),
    /// `sort` (created, updated, comments; default created), `direction` (default desc),
    /// `per_page` (default 30, at most 100) and `page`, and a `Link` header to the other pages.
    func issues(owner: String, repo: String, generation: String, query: [(String, String)], requestURL: String) -> Answer {
        let documentation = "https://docs.github.com/rest/issues/issues#list-repository-issues"
        guard let data = file(generation, "issues", owner, repo) else {
            // A repository without an issues file has none; an unknown repository is a 404.
            guard file(generation, "repos", owner, repo) != nil else {
                return Self.message(404, "Not Found", documentation: documentation)
            }
            return Answer(status: 200, body: Data("[]".utf8))
        }
        guard let all = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            return Self.message(500, "the sample file issues/\(owner)/\(repo).json is not a list of issues", documentation: documentation)
        }
        let parameters = Dictionary(query, uniquingKeysWith: { _, last in last })
        let state = parameters["state"] ?? "open"
        guard ["open", "closed", "all"].contains(state) else { return Self.invalid("state", state, documentation) }
        var since: Date?
        if let text = parameters["since"] {
            guard let date = Self.date(text) else { return Self.invalid("since", text, documentation) }
            since = date
        }
        let sort = parameters["sort"] ?? "created"
        guard ["created", "updated", "comments"].contains(sort) else { return Self.invalid("sort", sort, documentation) }
        let direction = parameters["direction"] ?? "desc"
        guard ["asc", "desc"].contains(direction) else { return Self.invalid("direction", direction, documentation) }
        let labels = (parameters["labels"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let perPage = min(100, max(1, Int(parameters["per_page"] ?? "") ?? 30))
        let page = max(1, Int(parameters["page"] ?? "") ?? 1)

        var selected = all.filter { issue in
            if state != "all", issue["state"] as? String != state { return false }
            if let since, let updated = (issue["updated_at"] as? String).flatMap(Self.date), updated < since { return false }
            let names = Set(((issue["labels"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
            return labels.allSatisfy(names.contains)
        }
        selected.sort { a, b in
            let ordered: Bool
            switch sort {
            case "comments": ordered = (a["comments"] as? Int ?? 0, a["id"] as? Int ?? 0) < (b["comments"] as? Int ?? 0, b["id"] as? Int ?? 0)
            default:
                let key = sort == "updated" ? "updated_at" : "created_at"
                ordered = (a[key] as? String ?? "", a["id"] as? Int ?? 0) < (b[key] as? String ?? "", b["id"] as? Int ?? 0)
            }
            return direction == "asc" ? ordered : !ordered
        }
        let pages = max(1, (selected.count + perPage - 1) / perPage)
        let start = (page - 1) * perPage
        let slice = start < selected.count ? Array(selected[start..<min(selected.count, start + perPage)]) : []
        let body = (try? JSONSerialization.data(withJSONObject: slice, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("[]".utf8)

        var links: [String] = []
        func link(_ number: Int, _ relation: String) {
            let items = query.filter { $0.0 != "page" } + [("page", String(number))]
            let text = items.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
            links.append("<\(requestURL)?\(text)>; rel=\"\(relation)\"")
        }
        if page > 1 { link(page - 1, "prev") }
        if page < pages { link(page + 1, "next") }
        if page < pages { link(pages, "last") }
        if page > 1 { link(1, "first") }
        var answer = Answer(status: 200, body: body)
        if !links.isEmpty { answer.headers.append(("Link", links.joined(separator: ", "))) }
        return answer
    }

    /// A sample file, if the names are plain (no way out of the fixtures folder) and it exists.
    private func file(_ generation: String, _ kind: String, _ owner: String, _ repo: String) -> Data? {
        let plain = { (name: String) in
            !name.isEmpty && name != "." && name != ".."
                && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }
        }
        guard [generation, owner, repo].allSatisfy(plain) else { return nil }
        let url = fixtures.appendingPathComponent(generation).appendingPathComponent(kind)
            .appendingPathComponent(owner).appendingPathComponent("\(repo).json")
        return try? Data(contentsOf: url)
    }

    static func message(_ status: Int, _ message: String, documentation: String) -> Answer {
        let object: [String: Any] = ["message": message, "documentation_url": documentation, "status": String(status)]
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Answer(status: status, body: body)
    }

    /// GitHub's 422 for a parameter it cannot use.
    static func invalid(_ parameter: String, _ value: String, _ documentation: String) -> Answer {
        let object: [String: Any] = [
            "message": "Validation Failed",
            "errors": [["resource": "Issue", "field": parameter, "code": "invalid", "value": value]],
            "documentation_url": documentation, "status": "422",
        ]
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Answer(status: 422, body: body)
    }

    /// ISO 8601, as GitHub accepts it: `2026-11-20T10:00:00Z`, with fractional seconds or an offset.
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~,")) ?? text
    }
}
