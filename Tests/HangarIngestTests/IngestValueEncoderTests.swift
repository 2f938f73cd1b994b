import Foundation
import HangarIngest
import Testing

struct IngestValueEncoderTests {
    private let encoder = IngestValueEncoder()

    struct Owner: Encodable {
        let login: String
        let id: Int
        let siteAdmin: Bool

        enum CodingKeys: String, CodingKey {
            case login, id
            case siteAdmin = "site_admin"
        }
    }

    struct License: Encodable {
        let key: String
        let spdxID: String?
    }

    struct Repository: Encodable {
        let id: Int64
        let name: String
        let owner: Owner
        let license: License?
        let topics: [String]
        let createdAt: Date
        let stars: UInt32
        let score: Double
        let homepage: URL?

        enum CodingKeys: String, CodingKey {
            case id, name, owner, license, topics
            case createdAt = "created_at"
            case stars = "stargazers_count"
            case score, homepage
        }
    }

    private let createdAt = Date(timeIntervalSinceReferenceDate: 817_308_191.5)

    private func repository(license: License?) -> Repository {
        Repository(id: 42, name: "hangar", owner: Owner(login: "octocat", id: 7, siteAdmin: false), license: license,
                   topics: ["duckdb", "etl"], createdAt: createdAt, stars: 1_200, score: 0.5,
                   homepage: URL(string: "https://example.com/hangar"))
    }

    // MARK: - Structs

    @Test func aRepositoryBecomesAnObjectInDeclarationOrder() throws {
        let value = try encoder.encode(repository(license: License(key: "mit", spdxID: "MIT")))
        #expect(value == .object([
            (key: "id", value: .int(42)),
            (key: "name", value: .string("hangar")),
            (key: "owner", value: .object([
                (key: "login", value: .string("octocat")),
                (key: "id", value: .int(7)),
                (key: "site_admin", value: .bool(false)),
            ])),
            (key: "license", value: .object([(key: "key", value: .string("mit")), (key: "spdxID", value: .string("MIT"))])),
            (key: "topics", value: .array([.string("duckdb"), .string("etl")])),
            (key: "created_at", value: .timestamp(1_795_615_391_500_000)),
            (key: "stargazers_count", value: .int(1_200)),
            (key: "score", value: .double(0.5)),
            (key: "homepage", value: .string("https://example.com/hangar")),
        ]))
        // The same instant as the ISO-8601 text an API would send.
        #expect(ISO8601Timestamp.parse("2026-11-25T14:03:11.5Z") == 1_795_615_391_500_000)
    }

    @Test func nilOptionalsAreLeftOut() throws {
        guard case .object(let members) = try encoder.encode(repository(license: nil)) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["id", "name", "owner", "topics", "created_at", "stargazers_count", "score", "homepage"])
        #expect(try encoder.encode(License(key: "x", spdxID: nil)) == .object([(key: "key", value: .string("x"))]))
    }

    @Test func explicitNilsAreNull() throws {
        struct Explicit: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: AnyKey.self)
                try container.encodeNil(forKey: AnyKey("gone"))
                try container.encode(Int?.none, forKey: AnyKey("optional"))
            }
        }
        #expect(try encoder.encode(Explicit()) == .object([(key: "gone", value: .null), (key: "optional", value: .null)]))
        #expect(try encoder.encode([1, nil, 3] as [Int?]) == .array([.int(1), .null, .int(3)]))
        #expect(try encoder.encode(Int?.none) == .null)
    }

    // MARK: - Scalars

    @Test func integersOfEveryWidthAreExact() throws {
        struct Widths: Encodable {
            var int8 = Int8.min, int16 = Int16.max, int32 = Int32.min, int64 = Int64.max, int = Int.min
            var uint8 = UInt8.max, uint16 = UInt16.max, uint32 = UInt32.max
            var uint64Small: UInt64 = 5, uint64Large = UInt64.max, uintLarge = UInt(Int64.max) + 1
        }
        #expect(try encoder.encode(Widths()) == .object([
            (key: "int8", value: .int(-128)), (key: "int16", value: .int(32_767)), (key: "int32", value: .int(-2_147_483_648)),
            (key: "int64", value: .int(.max)), (key: "int", value: .int(.min)),
            (key: "uint8", value: .int(255)), (key: "uint16", value: .int(65_535)), (key: "uint32", value: .int(4_294_967_295)),
            (key: "uint64Small", value: .int(5)), (key: "uint64Large", value: .bigInteger("18446744073709551615")),
            (key: "uintLarge", value: .bigInteger("9223372036854775808")),
        ]))
        #expect(try encoder.encode([UInt64.max, 1]) == .array([.bigInteger("18446744073709551615"), .int(1)]))
        #expect(try encoder.encode(UInt64.max) == .bigInteger("18446744073709551615"))
    }

    @Test func wideIntegersKeepTheirDigitsWhenTheyDoNotFitInt64() throws {
        if #available(macOS 15.0, *) {
            #expect(try encoder.encode(Int128(Int64.min)) == .int(.min))
            #expect(try encoder.encode(Int128(Int64.min) - 1) == .bigInteger("-9223372036854775809"))
            #expect(try encoder.encode([UInt128.max]) == .array([.bigInteger("340282366920938463463374607431768211455")]))
        }
    }

    @Test func floatingPointValuesAreDoubles() throws {
        #expect(try encoder.encode([0.1, -2.5e-300]) == .array([.double(0.1), .double(-2.5e-300)]))
        // A Float becomes the double of its shortest text, as JSONEncoder would print it.
        #expect(try encoder.encode([Float(0.1), Float(3.4e38), Float.infinity]) == .array([.double(0.1), .double(3.4e38), .double(.infinity)]))
        #expect(try encoder.encode(Float(1.5)) == .double(1.5))
    }

    @Test func foundationTypesGetTheirIngestForms() throws {
        struct Mixed: Encodable {
            let data = Data([0, 255])
            let price = Decimal(string: "12.50")!
            let tiny = Decimal(string: "-0.000000001")!
            let id = UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!
            let link = URL(string: "relative/path", relativeTo: URL(string: "https://example.com/base/"))!
            let dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1.25)]
        }
        #expect(try encoder.encode(Mixed()) == .object([
            (key: "data", value: .binary(Data([0, 255]))),
            (key: "price", value: .decimal("12.5")),
            (key: "tiny", value: .decimal("-0.000000001")),
            (key: "id", value: .string("e621e1f8-c36c-495a-93fc-0c247a3e6e5f")),
            (key: "link", value: .string("https://example.com/base/relative/path")),
            (key: "dates", value: .array([.timestamp(0), .timestamp(-1_250_000)])),
        ]))
        #expect(try encoder.encode(Date(timeIntervalSince1970: 1)) == .timestamp(1_000_000))
        #expect(try encoder.encode(Data()) == .binary(Data()))
    }

    @Test func enumsEncodeAsTheirRawValuesOrCases() throws {
        enum Visibility: String, Encodable { case `public`, `private` }
        enum Level: Int, Encodable { case low = 1, high = 3 }
        enum Event: Encodable { case push(branch: String), star }
        #expect(try encoder.encode([Visibility.public, .private]) == .array([.string("public"), .string("private")]))
        #expect(try encoder.encode(Level.high) == .int(3))
        #expect(try encoder.encode(Event.push(branch: "main"))
            == .object([(key: "push", value: .object([(key: "branch", value: .string("main"))]))]))
        #expect(try encoder.encode(Event.star) == .object([(key: "star", value: .object([]))]))
    }

    @Test func dictionariesBecomeObjects() throws {
        guard case .object(let members) = try encoder.encode(["b": 2, "a": 1, "c": 3]) else {
            Issue.record("not an object")
            return
        }
        // Dictionary order is not defined; the members are.
        #expect(members.sorted { $0.key < $1.key }.map(\.key) == ["a", "b", "c"])
        #expect(members.sorted { $0.key < $1.key }.map(\.value) == [.int(1), .int(2), .int(3)])
        #expect(try encoder.encode([7: "seven"]) == .object([(key: "7", value: .string("seven"))]))
    }

    // MARK: - Containers

    @Test func aKeyEncodedAgainKeepsItsPositionAndTakesTheNewValue() throws {
        struct Twice: Encodable {
            let extraKeys: Int
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: AnyKey.self)
                try container.encode(1, forKey: AnyKey("a"))
                for index in 0..<extraKeys { try container.encode(index, forKey: AnyKey("k\(index)")) }
                try container.encode("again", forKey: AnyKey("a"))
                try container.encode(true, forKey: AnyKey("k0"))
            }
        }
        #expect(try encoder.encode(Twice(extraKeys: 1)) == .object([(key: "a", value: .string("again")), (key: "k0", value: .bool(true))]))
        // Past the linear search, the same.
        let wide = try encoder.encode(Twice(extraKeys: 20))
        guard case .object(let members) = wide else {
            Issue.record("not an object")
            return
        }
        #expect(members.count == 21)
        #expect(members[0] == (key: "a", value: .string("again")))
        #expect(members[1].key == "k0" && members[1].value == .bool(true))
        #expect(members[20].key == "k19" && members[20].value == .int(19))
    }

    @Test func nestedContainersBuildNestedValues() throws {
        struct Nested: Encodable {
            func encode(to encoder: any Encoder) throws {
                var root = encoder.container(keyedBy: AnyKey.self)
                var location = root.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("location"))
                try location.encode(52.5, forKey: AnyKey("lat"))
                var tags = root.nestedUnkeyedContainer(forKey: AnyKey("tags"))
                try tags.encode("a")
                var pair = tags.nestedUnkeyedContainer()
                try pair.encode(1)
                try pair.encode(2)
                var inner = tags.nestedContainer(keyedBy: AnyKey.self)
                try inner.encode(false, forKey: AnyKey("deep"))
                // Asking again for the same key continues the same object.
                var again = root.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("location"))
                try again.encode(13.4, forKey: AnyKey("lon"))
                #expect(tags.count == 3)
            }
        }
        #expect(try encoder.encode(Nested()) == .object([
            (key: "location", value: .object([(key: "lat", value: .double(52.5)), (key: "lon", value: .double(13.4))])),
            (key: "tags", value: .array([.string("a"), .array([.int(1), .int(2)]), .object([(key: "deep", value: .bool(false))])])),
        ]))
    }

    class Vehicle: Encodable {
        let wheels: Int
        init(wheels: Int) { self.wheels = wheels }
        enum CodingKeys: String, CodingKey { case wheels }
    }

    final class Truck: Vehicle {
        let payload = 12.5
        init() { super.init(wheels: 6) }
        enum TruckKeys: String, CodingKey { case payload, base }
        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: TruckKeys.self)
            // The super encoder is filled after it was handed out.
            let superEncoder = container.superEncoder()
            try container.encode(payload, forKey: .payload)
            try super.encode(to: superEncoder)
            try super.encode(to: container.superEncoder(forKey: .base))
        }
    }

    @Test func superEncodersNestTheSuperclassValue() throws {
        #expect(try encoder.encode(Truck()) == .object([
            (key: "super", value: .object([(key: "wheels", value: .int(6))])),
            (key: "payload", value: .double(12.5)),
            (key: "base", value: .object([(key: "wheels", value: .int(6))])),
        ]))
        struct InArray: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.unkeyedContainer()
                try container.encode(1)
                try Vehicle(wheels: 2).encode(to: container.superEncoder())
            }
        }
        #expect(try encoder.encode(InArray()) == .array([.int(1), .object([(key: "wheels", value: .int(2))])]))
    }

    @Test func aSingleValueContainerCanHandTheEncoderToAnotherValue() throws {
        struct Wrapper: Encodable {
            let inner: Owner
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(inner)
            }
        }
        struct Stamp: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(Date(timeIntervalSince1970: 2))
            }
        }
        #expect(try encoder.encode(Wrapper(inner: Owner(login: "a", id: 1, siteAdmin: true)))
            == .object([(key: "login", value: .string("a")), (key: "id", value: .int(1)), (key: "site_admin", value: .bool(true))]))
        #expect(try encoder.encode(["at": Stamp()]) == .object([(key: "at", value: .timestamp(2_000_000))]))
    }

    // MARK: - Paths, user info, errors

    final class PathLog: @unchecked Sendable {
        var paths: [[String]] = []
    }

    struct PathRecorder: Encodable {
        let log: PathLog
        func encode(to encoder: any Encoder) throws {
            log.paths.append(encoder.codingPath.map(\.stringValue))
            var container = encoder.singleValueContainer()
            try container.encode(encoder.userInfo[AnyKey.userInfoKey] as? String ?? "none")
        }
    }

    @Test func encodersSeeTheirCodingPathAndUserInfo() throws {
        struct Tree: Encodable {
            let log: PathLog
            func encode(to encoder: any Encoder) throws {
                var root = encoder.container(keyedBy: AnyKey.self)
                try root.encode(PathRecorder(log: log), forKey: AnyKey("top"))
                var list = root.nestedUnkeyedContainer(forKey: AnyKey("list"))
                try list.encode(1)
                try list.encode(PathRecorder(log: log))
                var nested = list.nestedContainer(keyedBy: AnyKey.self)
                try nested.encode(PathRecorder(log: log), forKey: AnyKey("leaf"))
            }
        }
        let log = PathLog()
        var encoder = IngestValueEncoder()
        encoder.userInfo[AnyKey.userInfoKey] = "hello"
        let value = try encoder.encode(Tree(log: log))
        #expect(log.paths == [["top"], ["list", "Index 1"], ["list", "Index 2", "leaf"]])
        #expect(value == .object([
            (key: "top", value: .string("hello")),
            (key: "list", value: .array([.int(1), .string("hello"), .object([(key: "leaf", value: .string("hello"))])])),
        ]))
    }

    @Test func aNaNDecimalIsAnErrorAtItsPath() throws {
        struct Priced: Encodable { let price: Decimal }
        do {
            _ = try encoder.encode(["items": [Priced(price: .nan)]])
            Issue.record("expected an error")
        } catch EncodingError.invalidValue(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["items", "Index 0", "price"])
        }
    }

    @Test func aTopLevelValueThatEncodesNothingIsAnError() throws {
        struct Silent: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }
        #expect(throws: EncodingError.self) { try encoder.encode(Silent()) }
        // Nested, it is an empty object, as in JSONEncoder.
        #expect(try encoder.encode(["quiet": Silent()]) == .object([(key: "quiet", value: .object([]))]))
    }

    @Test func topLevelScalarsAndCollections() throws {
        #expect(try encoder.encode(5) == .int(5))
        #expect(try encoder.encode("text") == .string("text"))
        #expect(try encoder.encode(true) == .bool(true))
        #expect(try encoder.encode([[1], []]) == .array([.array([.int(1)]), .array([])]))
        #expect(try encoder.encode([String]()) == .array([]))
    }
}

/// A coding key with any name, for hand-written `encode(to:)` implementations.
private struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    static let userInfoKey = CodingUserInfoKey(rawValue: "greeting")!
}
