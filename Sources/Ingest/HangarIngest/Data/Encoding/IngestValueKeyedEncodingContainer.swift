/// Writes the members of an object.
struct IngestValueKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoding: IngestValueEncoding
    let object: EncodingObject
    /// The container's own place: its encoder's, or its key's for a nested container.
    let path: CodingPathNode?

    var codingPath: [any CodingKey] { CodingPathNode.keys(of: path) }

    private func set(_ value: IngestValue, _ key: Key) {
        object.set(.value(value), forKey: key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(IngestValueEncoding.value(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.int(value), key) }
    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *)
    mutating func encode(_ value: Int128, forKey key: Key) throws { set(IngestValueEncoding.value(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(IngestValueEncoding.value(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(IngestValueEncoding.value(value), key) }
    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *)
    mutating func encode(_ value: UInt128, forKey key: Key) throws { set(IngestValueEncoding.value(value), key) }

    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        object.set(try encoding.node(for: value, parent: path, key: key), forKey: key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested: EncodingObject
        // Asking twice for the same key continues the same object, as `JSONEncoder` does.
        if case .object(let existing) = object.node(forKey: key.stringValue) {
            nested = existing
        } else {
            nested = EncodingObject()
            object.set(.object(nested), forKey: key.stringValue)
        }
        return KeyedEncodingContainer(IngestValueKeyedEncodingContainer<NestedKey>(
            encoding: encoding, object: nested, path: CodingPathNode(parent: path, key: key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested: EncodingArray
        if case .array(let existing) = object.node(forKey: key.stringValue) {
            nested = existing
        } else {
            nested = EncodingArray()
            object.set(.array(nested), forKey: key.stringValue)
        }
        return IngestValueUnkeyedEncodingContainer(encoding: encoding, array: nested, path: CodingPathNode(parent: path, key: key))
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(named: IndexCodingKey.superKey)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key)
    }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let encoder = encoding.superEncoder(parent: path, key: key)
        object.set(.encoder(encoder), forKey: key.stringValue)
        return encoder
    }
}
