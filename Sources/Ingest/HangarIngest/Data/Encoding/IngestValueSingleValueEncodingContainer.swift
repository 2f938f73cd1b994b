/// Sets the node of its encoder to one value.
struct IngestValueSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoding: IngestValueEncoding

    var codingPath: [any CodingKey] { encoding.codingPath }

    mutating func encodeNil() throws { encoding.node = .value(.null) }
    mutating func encode(_ value: Bool) throws { encoding.node = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { encoding.node = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { encoding.node = .value(.double(value)) }
    mutating func encode(_ value: Float) throws { encoding.node = .value(IngestValueEncoding.value(value)) }
    mutating func encode(_ value: Int) throws { encoding.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { encoding.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { encoding.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { encoding.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { encoding.node = .value(.int(value)) }
    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *)
    mutating func encode(_ value: Int128) throws { encoding.node = .value(IngestValueEncoding.value(value)) }
    mutating func encode(_ value: UInt) throws { encoding.node = .value(IngestValueEncoding.value(value)) }
    mutating func encode(_ value: UInt8) throws { encoding.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { encoding.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { encoding.node = .value(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { encoding.node = .value(IngestValueEncoding.value(value)) }
    @available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *)
    mutating func encode(_ value: UInt128) throws { encoding.node = .value(IngestValueEncoding.value(value)) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        if let special = try IngestValueEncoding.specialValue(value, codingPath: encoding.codingPath) {
            encoding.node = .value(special)
        } else {
            // The value takes this encoder over, as `JSONEncoder` lets it.
            try value.encode(to: encoding)
        }
    }
}
