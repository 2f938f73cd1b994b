/// Appends the elements of an array.
struct IngestValueUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoding: IngestValueEncoding
    let array: EncodingArray
    /// The container's own place: its encoder's, or its key's for a nested container.
    let path: CodingPathNode?

    var codingPath: [any CodingKey] { CodingPathNode.keys(of: path) }
    var count: Int { array.nodes.count }

    private func append(_ value: IngestValue) {
        array.nodes.append(.value(value))
    }

    private var nextKey: IndexCodingKey { IndexCodingKey(index: array.nodes.count) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(.double(value)) }
    mutating func encode(_ value: Float) throws { append(IngestValueEncoding.value(value)) }
    mutating func encode(_ value: Int) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { append(.int(value)) }
    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *)
    mutating func encode(_ value: Int128) throws { append(IngestValueEncoding.value(value)) }
    mutating func encode(_ value: UInt) throws { append(IngestValueEncoding.value(value)) }
    mutating func encode(_ value: UInt8) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { append(IngestValueEncoding.value(value)) }
    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *)
    mutating func encode(_ value: UInt128) throws { append(IngestValueEncoding.value(value)) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        array.nodes.append(try encoding.node(for: value, parent: path, key: nextKey))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodingObject()
        let key = nextKey
        array.nodes.append(.object(nested))
        return KeyedEncodingContainer(IngestValueKeyedEncodingContainer<NestedKey>(
            encoding: encoding, object: nested, path: CodingPathNode(parent: path, key: key)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = EncodingArray()
        let key = nextKey
        array.nodes.append(.array(nested))
        return IngestValueUnkeyedEncodingContainer(encoding: encoding, array: nested, path: CodingPathNode(parent: path, key: key))
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = encoding.superEncoder(parent: path, key: nextKey)
        array.nodes.append(.encoder(encoder))
        return encoder
    }
}
