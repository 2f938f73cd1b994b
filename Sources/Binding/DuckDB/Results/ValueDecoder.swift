import Foundation

/// Decodes `Decodable` types from DuckDB values: STRUCTs and rows as keyed containers, LISTs as
/// unkeyed ones, scalars through `DuckDBValueConvertible`.
struct ValueDecoder: Decoder {
    let value: DuckDBValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy _: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch value {
        case .structure(let fields):
            var byName: [String: DuckDBValue] = [:]
            for field in fields where byName[field.name] == nil { byName[field.name] = field.value }
            return KeyedDecodingContainer(Keyed<Key>(fields: byName, codingPath: codingPath))
        case .map(let entries):
            var byName: [String: DuckDBValue] = [:]
            for entry in entries { byName[entry.key.string ?? entry.key.description] = entry.value }
            return KeyedDecodingContainer(Keyed<Key>(fields: byName, codingPath: codingPath))
        default:
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "expected a STRUCT, found \(value)"))
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch value {
        case .list(let items), .array(let items): return Unkeyed(items: items, codingPath: codingPath)
        default:
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "expected a LIST, found \(value)"))
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(value: value, codingPath: codingPath) }

    static func decode<T: Decodable>(_ type: T.Type, from value: DuckDBValue, codingPath: [any CodingKey]) throws -> T {
        if let convertible = type as? any DuckDBValueConvertible.Type {
            do {
                return try convertible.init(duckDBValue: value) as! T
            } catch let error as DuckDBError {
                throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: error.message))
            }
        }
        return try T(from: ValueDecoder(value: value, codingPath: codingPath))
    }

    private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let fields: [String: DuckDBValue]
        let codingPath: [any CodingKey]
        var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }

        func value(_ key: Key) throws -> DuckDBValue {
            guard let value = fields[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no column or field named \(key.stringValue)"))
            }
            return value
        }

        func decodeNil(forKey key: Key) throws -> Bool { try value(key).isNull }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try ValueDecoder.decode(type, from: try value(key), codingPath: codingPath + [key])
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try ValueDecoder(value: try value(key), codingPath: codingPath + [key]).container(keyedBy: NestedKey.self)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try ValueDecoder(value: try value(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { ValueDecoder(value: .structure(fields.map { DuckDBStructField($0, $1) }), codingPath: codingPath) }
        func superDecoder(forKey key: Key) throws -> any Decoder { ValueDecoder(value: try value(key), codingPath: codingPath + [key]) }
    }

    private struct Unkeyed: UnkeyedDecodingContainer {
        let items: [DuckDBValue]
        let codingPath: [any CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        init(items: [DuckDBValue], codingPath: [any CodingKey]) {
            self.items = items
            self.codingPath = codingPath
        }

        struct Index: CodingKey {
            let intValue: Int?
            var stringValue: String { "\(intValue!)" }
            init(_ index: Int) { intValue = index }
            init?(stringValue _: String) { nil }
            init?(intValue: Int) { self.intValue = intValue }
        }

        mutating func next() throws -> DuckDBValue {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(DuckDBValue.self, .init(codingPath: codingPath, debugDescription: "the list has only \(items.count) items"))
            }
            defer { currentIndex += 1 }
            return items[currentIndex]
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, items[currentIndex].isNull else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let path = codingPath + [Index(currentIndex)]
            return try ValueDecoder.decode(type, from: try next(), codingPath: path)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy _: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try ValueDecoder(value: try next(), codingPath: codingPath).container(keyedBy: NestedKey.self)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try ValueDecoder(value: try next(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder { ValueDecoder(value: try next(), codingPath: codingPath) }
    }

    private struct Single: SingleValueDecodingContainer {
        let value: DuckDBValue
        let codingPath: [any CodingKey]
        func decodeNil() -> Bool { value.isNull }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try ValueDecoder.decode(type, from: value, codingPath: codingPath)
        }
    }
}
