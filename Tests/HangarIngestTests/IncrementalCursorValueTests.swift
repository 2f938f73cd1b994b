import Foundation
@testable import HangarIngest
import Testing

/// The pieces under the incremental: cursor paths, how cursor values order, lag, and the bounded
/// boundary keys.
struct IncrementalCursorValueTests {
    static func order(_ a: IngestValue, _ b: IngestValue) throws -> Int {
        try #require(try CursorValue(a)).compare(to: try #require(try CursorValue(b)))
    }

    @Test func numbersOrderNumericallyAcrossTheirKinds() throws {
        #expect(try Self.order(.int(2), .int(10)) < 0)
        #expect(try Self.order(.int(3), .double(2.5)) > 0)
        #expect(try Self.order(.double(3.0), .int(3)) == 0)
        #expect(try Self.order(.int(Int64.max), .double(9.223372036854775807e18)) < 0, "2^63 as a double is above every Int64")
        #expect(try Self.order(.int(9_007_199_254_740_993), .double(9_007_199_254_740_992)) > 0, "no rounding of the integer")
        #expect(try Self.order(.decimal("10.50"), .int(10)) > 0)
        #expect(try Self.order(.decimal("10.50"), .string("10.5")) == 0, "state keeps decimals as strings")
    }

    @Test func timestampsOrderAsInstantsWhateverTheirZoneOrForm() throws {
        #expect(try Self.order(.string("2024-05-01T14:00:00+02:00"), .string("2024-05-01T12:00:00Z")) == 0)
        #expect(try Self.order(.string("2024-05-01 12:00:00.5Z"), .string("2024-05-01T12:00:00Z")) > 0)
        let noon = ISO8601Timestamp.parse("2024-05-01T12:00:00Z")!
        #expect(try Self.order(.timestamp(noon), .string("2024-05-01T09:00:00-03:00")) == 0)
        #expect(try Self.order(.timestamp(noon), .timestamp(noon - 1)) > 0)
    }

    @Test func datesAndStringsOrderAsTheirTextOrDays() throws {
        #expect(try Self.order(.date(19_754), .string("2024-02-01")) == 0)
        #expect(try Self.order(.date(19_754), .date(19_755)) < 0)
        #expect(try Self.order(.string("2024-02-01"), .string("2024-02-01T00:00:01Z")) < 0, "a date string against a timestamp string: as text")
        #expect(try Self.order(.string("b"), .string("a")) > 0)
        #expect(try Self.order(.string("Z"), .string("a")) < 0, "code point order, not locale order")
        #expect(try Self.order(.string("é"), .string("z")) > 0)
    }

    @Test func kindsThatDoNotOrderSaySo() throws {
        #expect(throws: CursorValue.Mismatch.self) { try Self.order(.int(1), .string("2024-01-01T00:00:00Z")) }
        #expect(throws: CursorValue.Mismatch.self) { try Self.order(.date(1), .timestamp(1)) }
        #expect(throws: CursorValue.Mismatch.self) { try Self.order(.decimal("1"), .string("2024-02-01")) }
        #expect(throws: CursorValue.Mismatch.self) { try CursorValue(.array([])) }
        #expect(try CursorValue(.null) == nil, "null is a missing value, not an error")
    }

    @Test func lagMovesBackKeepingTheValuesForm() throws {
        func lagged(_ value: IngestValue, _ lag: Double, _ function: Incremental.LastValueFunction = .max) throws -> IngestValue {
            try #require(try CursorValue(value)).lagged(by: lag, for: function)
        }
        #expect(try lagged(.int(10), 3) == .int(7))
        #expect(try lagged(.int(10), 3, .min) == .int(13))
        #expect(try lagged(.int(10), 0.5) == .double(9.5))
        #expect(try lagged(.double(1.5), 1) == .double(0.5))
        #expect(try lagged(.decimal("10.25"), 0.25) == .decimal("10"))
        #expect(try lagged(.string("2024-01-01T00:00:10+00:00"), 20) == .string("2023-12-31T23:59:50Z"))
        #expect(try lagged(.string("2024-01-01T00:00:10.250Z"), 0.5) == .string("2024-01-01T00:00:09.750000Z"))
        #expect(try lagged(.timestamp(1_000_000), 1) == .timestamp(0))
        #expect(try lagged(.string("2024-03-01"), 1) == .string("2024-02-29"))
        #expect(try lagged(.date(10), 2, .min) == .date(12))
        #expect(throws: CursorValue.Mismatch.self) { try lagged(.string("abc"), 1) }
        #expect(throws: CursorValue.Mismatch.self) { try lagged(.timestamp(0), 1e300) }
    }

    @Test func formattedTimestampsAndDatesParseBack() {
        for micros: Int64 in [0, 1, -1, 1_714_564_800_000_000, -62_135_596_800_000_000, 253_402_300_799_999_999] {
            #expect(ISO8601Timestamp.parse(ISO8601Timestamp.format(micros)) == micros, "\(micros)")
        }
        #expect(ISO8601Timestamp.format(0) == "1970-01-01T00:00:00Z")
        #expect(ISO8601Timestamp.formatDate(19_754) == "2024-02-01")
        #expect(ISO8601Timestamp.formatDate(-1) == "1969-12-31")
        #expect(CursorValue.calendarDate("2024-02-30") == nil)
    }

    @Test(arguments: [
        ("pushed_at", [CursorPath.Step.member("pushed_at")]),
        ("owner.updated_at", [.member("owner"), .member("updated_at")]),
        ("$.owner.updated_at", [.member("owner"), .member("updated_at")]),
        ("items[0].ts", [.member("items"), .index(0), .member("ts")]),
        ("$[2]", [.index(2)]),
        ("$['odd.key'][\"x\"]", [.member("odd.key"), .member("x")]),
    ])
    func cursorPathsParse(_ text: String, _ steps: [CursorPath.Step]) throws {
        #expect(try CursorPath(text).steps == steps)
    }

    @Test(arguments: ["$", "$x", "a..b", "$..b", "a.", "a[", "a[-1]", "a[1:2]", "a[?(@.x)]", "*", "a.*", "a[0]b"])
    func cursorPathsThatSelectNothingOrSeveralAreRejected(_ text: String) {
        #expect(throws: CursorPath.SyntaxError.self) { try CursorPath(text) }
    }

    @Test func cursorPathsFindValuesOrNothing() throws {
        let row: IngestValue = .object([
            (key: "owner", value: .object([(key: "updated_at", value: .string("x"))])),
            (key: "items", value: .array([.object([(key: "ts", value: .int(5))])])),
        ])
        #expect(try CursorPath("$.owner.updated_at").value(in: row) == .string("x"))
        #expect(try CursorPath("items[0].ts").value(in: row) == .int(5))
        #expect(try CursorPath("items[1].ts").value(in: row) == nil)
        #expect(try CursorPath("owner[0]").value(in: row) == nil)
        #expect(try CursorPath("missing").value(in: row) == nil)
    }

    @Test func boundaryKeysForgetTheOldestBeyondTheirLimit() {
        var keys = BoundaryKeys(["a", "b"], limit: 3)
        keys.insert("b")
        #expect(Array(keys.ordered) == ["a", "b"], "a key already there is not added twice")
        for key in ["c", "d", "e", "f", "g", "h", "i"] { keys.insert(key) }
        #expect(Array(keys.ordered) == ["g", "h", "i"])
        #expect(!keys.contains("f") && keys.contains("g") && keys.count == 3)
        keys.removeAll()
        #expect(keys.isEmpty && keys.ordered.isEmpty)
        #expect(Array(BoundaryKeys(["a", "b", "c", "d"], limit: 2).ordered) == ["c", "d"])
    }

    @Test func rowKeysFollowThePrimaryKeyInRawOrSnakeCaseSpelling() {
        let row: IngestValue = .object([(key: "repoID", value: .int(7)), (key: "stars", value: .int(1))])
        let changed: IngestValue = .object([(key: "repoID", value: .int(7)), (key: "stars", value: .int(2))])
        #expect(RowKeyDigest(primaryKey: ["repo_id"]).digest(of: row) == RowKeyDigest(primaryKey: ["repoID"]).digest(of: changed))
        #expect(RowKeyDigest(primaryKey: []).digest(of: row) != RowKeyDigest(primaryKey: []).digest(of: changed))
        #expect(RowKeyDigest(primaryKey: []).digest(of: row).count == 22, "128 bits in unpadded base64")
    }
}
