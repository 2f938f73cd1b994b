import Foundation

/// The `Encoder` that ``IngestValueEncoder`` hands to `encode(to:)`: one per encoded value
/// that is not a plain scalar, holding that value's node.
final class IngestValueEncoding: Encoder {
    let userInfo: [CodingUserInfoKey: Any]
    let path: CodingPathNode?
    var node = EncodingNode.empty

    init(userInfo: [CodingUserInfoKey: Any], path: CodingPathNode?) {
        self.userInfo = userInfo
        self.path = path
    }

    var codingPath: [any CodingKey] { CodingPathNode.keys(of: path) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: EncodingObject
        if case .object(let existing) = node {
            object = existing
        } else {
            object = EncodingObject()
            node = .object(object)
        }
        return KeyedEncodingContainer(IngestValueKeyedEncodingContainer<Key>(encoding: self, object: object, path: path))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: EncodingArray
        if case .array(let existing) = node {
            array = existing
        } else {
            array = EncodingArray()
            node = .array(array)
        }
        return IngestValueUnkeyedEncodingContainer(encoding: self, array: array, path: path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        IngestValueSingleValueEncodingContainer(encoding: self)
    }

    // MARK: - Values

    /// The node of `value`, a child of the container at `parent`, under `key`.
    func node<Value: Encodable>(for value: Value, parent: CodingPathNode?, key: any CodingKey) throws -> EncodingNode {
        if let special = try Self.specialValue(value, codingPath: CodingPathNode.keys(of: parent) + [key]) {
            return .value(special)
        }
        let child = IngestValueEncoding(userInfo: userInfo, path: CodingPathNode(parent: parent, key: key))
        try value.encode(to: child)
        return child.node
    }

    /// A new encoder whose value lands under `key` of the container at `parent` once resolved.
    func superEncoder(parent: CodingPathNode?, key: any CodingKey) -> IngestValueEncoding {
        IngestValueEncoding(userInfo: userInfo, path: CodingPathNode(parent: parent, key: key))
    }

    /// The value of the types with an ingest form of their own, which their `Codable`
    /// conformances would hide (a `Date` encodes itself as a bare Double, `Data` as an array of
    /// bytes), and of the common scalars, which skip a nested encoder that way (`[String]` encodes
    /// its elements through the generic path). Comparing metatypes costs a pointer comparison
    /// where a dynamic cast per candidate type would cost a runtime call.
    static func specialValue<Value: Encodable>(
        _ value: Value, codingPath: @autoclosure () -> [any CodingKey]
    ) throws -> IngestValue? {
        let type = Value.self
        if type == String.self { return .string(value as! String) }
        if type == Int.self { return .int(Int64(value as! Int)) }
        if type == Int64.self { return .int(value as! Int64) }
        if type == Double.self { return .double(value as! Double) }
        if type == Bool.self { return .bool(value as! Bool) }
        if type == Date.self {
            // From the reference date, which `Date` stores, to keep the microseconds exact.
            let microseconds = ((value as! Date).timeIntervalSinceReferenceDate * 1_000_000).rounded()
            guard let sinceReference = Int64(exactly: microseconds),
                  case (let sinceEpoch, false) = sinceReference.addingReportingOverflow(978_307_200_000_000) else {
                throw EncodingError.invalidValue(value, EncodingError.Context(
                    codingPath: codingPath(), debugDescription: "The date is out of the range of microsecond timestamps."))
            }
            return .timestamp(sinceEpoch)
        }
        if type == Data.self { return .binary(value as! Data) }
        if type == Decimal.self {
            let decimal = value as! Decimal
            guard !decimal.isNaN else {
                throw EncodingError.invalidValue(value, EncodingError.Context(
                    codingPath: codingPath(), debugDescription: "A NaN Decimal has no ingest value."))
            }
            return .decimal(decimal.description)
        }
        if type == UUID.self { return .string((value as! UUID).uuidString.lowercased()) }
        if type == URL.self { return .string((value as! URL).absoluteString) }
        return nil
    }

    static func value(_ integer: some BinaryInteger) -> IngestValue {
        if let exact = Int64(exactly: integer) { return .int(exact) }
        return .bigInteger(String(integer))
    }

    static func value(_ float: Float) -> IngestValue {
        guard float.isFinite else { return .double(Double(float)) }
        return .double(Double(float.description) ?? Double(float))
    }
}
