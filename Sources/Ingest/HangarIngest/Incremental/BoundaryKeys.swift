/// The keys of the rows at the last cursor value, oldest first, bounded: when more rows share
/// the value than the limit, the oldest keys are forgotten (see ``Incremental/boundaryKeyLimit``).
struct BoundaryKeys: Sendable {
    let limit: Int
    /// `keys[start...]` are the live keys; forgotten ones are skipped, then compacted away in
    /// bulk, so forgetting stays O(1) however many rows pass through at one value.
    private var keys: [String] = []
    private var start = 0
    private var members: Set<String> = []

    init(_ keys: [String] = [], limit: Int) {
        self.limit = limit
        for key in keys { insert(key) }
    }

    var count: Int { members.count }
    var isEmpty: Bool { members.isEmpty }

    func contains(_ key: String) -> Bool { members.contains(key) }

    mutating func insert(_ key: String) {
        guard limit > 0, members.insert(key).inserted else { return }
        keys.append(key)
        if members.count > limit {
            members.remove(keys[start])
            start += 1
            if start >= limit {
                keys.removeFirst(start)
                start = 0
            }
        }
    }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        start = 0
        members.removeAll(keepingCapacity: true)
    }

    /// Oldest first, as state stores them.
    var ordered: ArraySlice<String> { keys[start...] }
}
