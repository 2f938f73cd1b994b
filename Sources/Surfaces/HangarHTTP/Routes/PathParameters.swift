import Hummingbird

extension Parameters {
    /// A path parameter as the client meant it: `/tables/main/my%20table` names `my table`
    /// (the router matches the path as sent, still percent-encoded).
    func decoded(_ name: String) -> String? {
        guard let raw = get(name) else { return nil }
        return raw.removingPercentEncoding ?? raw
    }
}
