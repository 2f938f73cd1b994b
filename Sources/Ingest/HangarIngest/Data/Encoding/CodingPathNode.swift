/// One step of a coding path, linked to its parent: children share their parents' steps, and
/// the `[CodingKey]` array is only built when someone asks for it (errors, custom encoders).
final class CodingPathNode {
    let parent: CodingPathNode?
    let key: any CodingKey

    init(parent: CodingPathNode?, key: any CodingKey) {
        self.parent = parent
        self.key = key
    }

    var keys: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node: CodingPathNode? = self
        while let current = node {
            keys.append(current.key)
            node = current.parent
        }
        return keys.reversed()
    }

    static func keys(of node: CodingPathNode?) -> [any CodingKey] {
        node?.keys ?? []
    }
}
