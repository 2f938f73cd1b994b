import Foundation
import HangarIngest
import HangarTestSupport
import Testing

struct TypedJSONLTests {
    private func written(_ rows: [IngestValue]) -> [UInt8] {
        var writer = TypedJSONLWriter()
        for row in rows { writer.write(row) }
        return writer.bytes
    }

    private func roundTrip(_ rows: [IngestValue]) throws -> [IngestValue] {
        try JSONReader.rows(from: written(rows), layout: .lines, typed: true)
    }

    private func text(_ row: IngestValue) -> String {
        String(decoding: written([row]), as: UTF8.self)
    }

    // MARK: - What is written

    @Test func rowsAreCompactJSONOnePerLine() {
        let row = IngestValue.object([
            (key: "id", value: .int(-42)),
            (key: "name", value: .string("hangar")),
            (key: "ok", value: .bool(true)),
            (key: "none", value: .null),
            (key: "score", value: .double(1.5)),
            (key: "tags", value: .array([.string("a"), .int(0), .object([])])),
        ])
        #expect(text(row) == #"{"id":-42,"name":"hangar","ok":true,"none":null,"score":1.5,"tags":["a",0,{}]}"# + "\n")
        #expect(String(decoding: written([.int(1), .array([])]), as: UTF8.self) == "1\n[]\n")
    }

    @Test func stringsAreEscapedPerJSONRules() {
        #expect(text(.string("q\"b\\s/é\n\r\t\u{0}\u{1F}\u{7F}")) == #""q\"b\\s/é\n\r\t\u0000\u001f\#u{7F}""# + "\n")
        #expect(text(.object([(key: "a\"b", value: .null)])) == #"{"a\"b":null}"# + "\n")
        // Long runs around the escapes, past the eight-byte steps of the scanner.
        let long = String(repeating: "abcdefgh", count: 5) + "\"" + String(repeating: "x", count: 13) + "\n"
        #expect(text(.string(long)) == "\"" + String(repeating: "abcdefgh", count: 5) + "\\\"" + String(repeating: "x", count: 13) + "\\n\"\n")
    }

    @Test func valuesWithoutAJSONFormCarryAMarker() {
        #expect(text(.decimal("12.50")) == "\"\u{F026}12.50\"\n")
        #expect(text(.date(-1)) == "\"\u{F027}-1\"\n")
        #expect(text(.time(45_296_000_001)) == "\"\u{F028}45296000001\"\n")
        #expect(text(.timestamp(1_795_615_391_000_000)) == "\"\u{F029}1795615391000000\"\n")
        #expect(text(.binary(Data([0, 1, 254, 255]))) == "\"\u{F02A}AAH+/w==\"\n")
        #expect(text(.double(.nan)) == "\"\u{F02B}nan\"\n")
        #expect(text(.double(.infinity)) == "\"\u{F02B}inf\"\n")
        #expect(text(.double(-.infinity)) == "\"\u{F02B}-inf\"\n")
    }

    @Test func userStringsThatLookLikeMarkersAreEscaped() {
        #expect(text(.string("\u{F026}12")) == "\"\u{F02F}\u{F026}12\"\n")
        #expect(text(.string("\u{F02F}")) == "\"\u{F02F}\u{F02F}\"\n")
        // Characters just outside the reserved range, and markers later in the string, are plain.
        #expect(text(.string("\u{F025}x")) == "\"\u{F025}x\"\n")
        #expect(text(.string("\u{F030}x")) == "\"\u{F030}x\"\n")
        #expect(text(.string("x\u{F026}")) == "\"x\u{F026}\"\n")
        // Keys are never decoded, so never escaped.
        #expect(text(.object([(key: "\u{F026}k", value: .int(1))])) == "{\"\u{F026}k\":1}\n")
    }

    @Test func integersAreWrittenExactly() {
        let integers: [Int64] = [0, 9, 10, -1, -10, 1_000_000, .max, .min, .max - 1, .min + 1]
        #expect(String(decoding: written(integers.map(IngestValue.int)), as: UTF8.self)
            == integers.map { "\($0)\n" }.joined())
    }

    // MARK: - Round trips

    @Test func everyValueKindRoundTrips() throws {
        let values: [IngestValue] = [
            .null, .bool(true), .bool(false),
            .int(0), .int(.max), .int(.min), .int(-7),
            .double(0.1), .double(1.0), .double(-0.5), .double(1e300), .double(-2.5e-300),
            .double(.leastNonzeroMagnitude), .double(.greatestFiniteMagnitude), .double(1e16), .double(123_456_789.0),
            .double(.infinity), .double(-.infinity),
            .string(""), .string("plain"), .string("naïve 日本語 😀"), .string("\u{F026}1.5"), .string("\u{F02F}"),
            .string("\u{F02C}reserved but unassigned"), .string("\u{F025}"), .string("\\\"/"),
            .decimal("12.50"), .decimal("-0.000000001"), .decimal("123456789012345678901234567890"),
            .date(0), .date(-719_528), .date(20_000), .date(.max), .date(.min),
            .time(0), .time(86_399_999_999),
            .timestamp(0), .timestamp(-1), .timestamp(1_795_615_391_123_456), .timestamp(.min),
            .binary(Data()), .binary(Data([0])), .binary(Data((0...255).map(UInt8.init))),
            .array([]), .object([]),
        ]
        let back = try roundTrip(values)
        #expect(back == values)
        // Doubles must come back bit for bit (the sign of zero included).
        for (value, read) in zip(values, back) {
            if case .double(let original) = value, case .double(let again) = read {
                #expect(original.bitPattern == again.bitPattern, "\(original)")
            }
        }
    }

    @Test func nanRoundTrips() throws {
        let back = try roundTrip([.double(.nan), .double(-0.0)])
        guard case .double(let nan) = back[0], case .double(let zero) = back[1] else {
            Issue.record("not doubles: \(back)")
            return
        }
        #expect(nan.isNaN)
        #expect(zero == 0 && zero.sign == .minus)
    }

    @Test func everyControlCharacterRoundTrips() throws {
        let controls = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}"
        let row = IngestValue.object([(key: controls, value: .string(controls))])
        #expect(try roundTrip([row]) == [row])
        #expect(!written([row]).contains(where: { $0 < 0x20 && $0 != 0x0A }))
    }

    @Test func randomStringsRoundTrip() throws {
        // Mixes every byte class the eight-byte scanners treat specially, at random offsets.
        let alphabet: [String] = ["a", "b", "\"", "\\", "/", "\n", "\r", "\t", "\u{1}", "\u{1F}", "\u{0}", "é", "日", "😀", "\u{F026}", "\u{F02F}", " "]
        var generator = SystemRandomNumberGenerator()
        let strings = (0..<500).map { _ in
            (0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
        }
        let rows = strings.map { IngestValue.object([(key: $0, value: .string($0))]) }
        #expect(try roundTrip(rows) == rows)
    }

    @Test func nestedRowsRoundTrip() throws {
        let row = IngestValue.object([
            (key: "id", value: .int(1)),
            (key: "owner", value: .object([
                (key: "login", value: .string("octo\u{F029}cat")),
                (key: "since", value: .timestamp(1_600_000_000_000_000)),
                (key: "avatar", value: .binary(Data("png".utf8))),
            ])),
            (key: "prices", value: .array([.decimal("9.99"), .decimal("0.01"), .null])),
            (key: "dates", value: .array([.date(19_000), .array([.time(1), .string("\u{F02A}not base64")])])),
            (key: "ratio", value: .double(.nan)),
        ])
        let back = try roundTrip([row, row])
        #expect(back.count == 2)
        guard case .object(let members) = back[0] else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["id", "owner", "prices", "dates", "ratio"])
        // NaN is never equal to itself; compare everything else.
        #expect(IngestValue.object(Array(members.dropLast())) == {
            guard case .object(let expected) = row else { return .null }
            return .object(Array(expected.dropLast()))
        }())
        if case .double(let ratio) = members.last?.value { #expect(ratio.isNaN) } else { Issue.record("ratio not a double") }
    }

    @Test func readingWithoutTypedLeavesMarkersAsText() throws {
        let bytes = written([.object([(key: "d", value: .date(3)), (key: "s", value: .string("\u{F026}x"))])])
        #expect(try JSONReader.rows(from: bytes, layout: .lines) == [
            .object([(key: "d", value: .string("\u{F027}3")), (key: "s", value: .string("\u{F02F}\u{F026}x"))]),
        ])
    }

    @Test func escapedMarkersAreDecodedToo() throws {
        // Another writer may spell the marker as a \u escape.
        let text = #"["\uF02712", "\uf02b-inf", "\uF02F\uF026x"]"#
        #expect(try JSONReader.value(from: Data(text.utf8), typed: true) == .array([.date(12), .double(-.infinity), .string("\u{F026}x")]))
    }

    @Test func malformedTypedValuesAreReported() {
        let cases: [(String, String)] = [
            ("\"\u{F027}abc\"", "malformed JSON in row 1 (line 1, byte 0): invalid typed value after the marker U+F027: \"abc\""),
            ("\"\u{F027}99999999999\"", "malformed JSON in row 1 (line 1, byte 0): invalid typed value after the marker U+F027: \"99999999999\""),
            ("[1, \"\u{F029}\"]", "malformed JSON in row 1 (line 1, byte 4): invalid typed value after the marker U+F029: \"\""),
            ("\"\u{F02A}%%%\"", "malformed JSON in row 1 (line 1, byte 0): invalid typed value after the marker U+F02A: \"%%%\""),
            ("\"\u{F02B}infinity\"", "malformed JSON in row 1 (line 1, byte 0): invalid typed value after the marker U+F02B: \"infinity\""),
            ("{\"a\": \"\u{F02C}x\"}", "malformed JSON in row 1 (line 1, byte 6): unknown typed-value marker U+F02C at the start of a string"),
        ]
        for (text, message) in cases {
            #expect(throws: IngestError(.malformedJSON, message: message)) {
                try JSONReader.rows(from: Data(text.utf8), layout: .lines, typed: true)
            }
        }
    }

    // MARK: - The buffer and files

    @Test func theWriterCountsRowsAndFlushesToAFile() throws {
        let scratch = try ScratchDirectory()
        let url = scratch.url.appendingPathComponent("rows.jsonl")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let file = try FileHandle(forWritingTo: url)
        var writer = TypedJSONLWriter(reservingCapacity: 16)
        let rows: [IngestValue] = (0..<1_000).map { .object([(key: "n", value: .int(Int64($0))), (key: "at", value: .timestamp(Int64($0)))]) }
        for (index, row) in rows.enumerated() {
            writer.write(row)
            if index % 300 == 299 { try writer.flush(to: file) }
        }
        #expect(writer.bytes.count > 0)
        try writer.flush(to: file)
        #expect(writer.bytes.isEmpty)
        #expect(writer.rowCount == 1_000)
        try writer.flush(to: file)
        try file.close()
        #expect(try JSONReader.rows(from: Data(contentsOf: url), layout: .lines, typed: true) == rows)
    }
}
