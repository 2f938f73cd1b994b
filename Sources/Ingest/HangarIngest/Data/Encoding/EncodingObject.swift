/// The members of an object being encoded, in the order their keys first appeared.
final class EncodingObject {
    /// Up to this many members a linear search finds a key faster than hashing it.
    private static let linearSearchLimit = 8

    private var keys: [String] = []
    private var nodes: [EncodingNode] = []
    /// Key positions, kept once the object outgrows the linear search.
    private var positions: [String: Int] = [:]

    /// Sets the member `key`; a key encoded again keeps its position and takes the new value.
    func set(_ node: EncodingNode, forKey key: String) {
        if let position = position(of: key) {
            nodes[position] = node
            return
        }
        keys.append(key)
        nodes.append(node)
        if keys.count == Self.linearSearchLimit + 1 {
            for (position, key) in keys.enumerated() { positions[key] = position }
        } else if keys.count > Self.linearSearchLimit + 1 {
            positions[key] = keys.count - 1
        }
    }

    func node(forKey key: String) -> EncodingNode? {
        position(of: key).map { nodes[$0] }
    }

    var members: [(key: String, value: IngestValue)] {
        var members: [(key: String, value: IngestValue)] = []
        members.reserveCapacity(keys.count)
        for (key, node) in zip(keys, nodes) { members.append((key: key, value: node.ingestValue)) }
        return members
    }

    private func position(of key: String) -> Int? {
        keys.count <= Self.linearSearchLimit ? keys.firstIndex(of: key) : positions[key]
    }
}
