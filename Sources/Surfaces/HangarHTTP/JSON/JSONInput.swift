import Foundation

/// A JSON value a caller sent. Decoded with `JSONDecoder`, which tells `true` from `1` (unlike
/// `JSONSerialization` on Linux), so a field of the wrong type is named instead of coerced.
enum JSONInput: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONInput])
    case object([String: JSONInput])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .int(number)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([JSONInput].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: JSONInput].self))
        }
    }

    /// What the value is, for messages ("config must be an object, not a string").
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
