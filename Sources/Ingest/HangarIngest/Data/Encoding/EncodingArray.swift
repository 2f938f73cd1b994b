/// The elements of an array being encoded.
final class EncodingArray {
    var nodes: [EncodingNode] = []
}
