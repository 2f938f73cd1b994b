/// A value while an `Encodable` is still being encoded: containers stay open for writing until
/// the whole value has been encoded, then everything resolves into an `IngestValue`.
enum EncodingNode {
    /// An encoder that has not asked for a container yet.
    case empty
    case value(IngestValue)
    case object(EncodingObject)
    case array(EncodingArray)
    /// A nested encoder's value (a super encoder's, say), read when the whole value resolves.
    case encoder(IngestValueEncoding)

    var ingestValue: IngestValue {
        switch self {
        // `JSONEncoder` writes `{}` for a nested value that encoded nothing.
        case .empty: .object([])
        case .value(let value): value
        case .object(let object): .object(object.members)
        case .array(let array): .array(array.nodes.map(\.ingestValue))
        case .encoder(let encoder): encoder.node.ingestValue
        }
    }
}
