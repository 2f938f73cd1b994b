import Foundation
import HangarIngest
import Testing

struct JSONReaderTests {
    private func rows(_ text: String, layout: JSONLayout = .automatic) throws -> [IngestValue] {
        try JSONReader.rows(from: Data(text.utf8), layout: layout)
    }

    private func positions(_ text: String, layout: JSONLayout = .automatic) throws -> [RowPosition] {
        var positions: [RowPosition] = []
        try JSONReader.rows(from: Data(text.utf8), layout: layout) { _, position in positions.append(position) }
        return positions
    }

    private func malformed(_ message: String) -> IngestError {
        IngestError(.malformedJSON, message: message)
    }

    // MARK: - Layouts

    @Test func aTopLevelArrayGivesOneRowPerElementWithPositions() throws {
        let text = "[\n  {\"a\": 1},\n  {\"a\": 2}, 3\n]"
        #expect(try rows(text, layout: .array) == [.object([(key: "a", value: .int(1))]), .object([(key: "a", value: .int(2))]), .int(3)])
        #expect(try positions(text, layout: .array) == [
            RowPosition(row: 1, line: 2, byteOffset: 4),
            RowPosition(row: 2, line: 3, byteOffset: 16),
            RowPosition(row: 3, line: 3, byteOffset: 26),
        ])
        #expect(try rows("[]", layout: .array).isEmpty)
        #expect(try rows(" [ ] \n", layout: .array).isEmpty)
    }

    @Test func jsonLinesSkipBlankLinesAndAcceptCRLF() throws {
        let text = "{\"a\":1}\r\n\r\n  \n{\"a\":2}\r\n\"text\"\r\n"
        #expect(try rows(text, layout: .lines) == [.object([(key: "a", value: .int(1))]), .object([(key: "a", value: .int(2))]), .string("text")])
        #expect(try positions(text, layout: .lines) == [
            RowPosition(row: 1, line: 1, byteOffset: 0),
            RowPosition(row: 2, line: 4, byteOffset: 14),
            RowPosition(row: 3, line: 5, byteOffset: 23),
        ])
        #expect(try rows("", layout: .lines).isEmpty)
        #expect(try rows("\n\n", layout: .lines).isEmpty)
    }

    @Test func aJSONLinesRowMaySpanLines() throws {
        #expect(try rows("{\n\"a\": 1\n}\n{\"a\": 2}", layout: .lines).count == 2)
        #expect(try positions("{\n\"a\": 1\n}\n{\"a\": 2}", layout: .lines).map(\.line) == [1, 4])
    }

    @Test func anEnvelopeHoldsTheRowsUnderAKey() throws {
        let text = #"{"total": 2, "tags": ["x"], "items": [{"id": 1}, {"id": 2}], "next": null}"#
        #expect(try rows(text, layout: .objectHolding(key: "items")) == [.object([(key: "id", value: .int(1))]), .object([(key: "id", value: .int(2))])])
        #expect(try positions(text, layout: .objectHolding(key: "items")) == [
            RowPosition(row: 1, line: 1, byteOffset: 38), RowPosition(row: 2, line: 1, byteOffset: 49),
        ])
        // Without a key, the first array-valued member holds the rows.
        #expect(try rows(text, layout: .objectHolding(key: nil)) == [.string("x")])
        #expect(try rows(#"{"items": []}"#, layout: .objectHolding(key: "items")).isEmpty)
    }

    @Test func automaticLayoutRecognisesEachShape() throws {
        let one = IngestValue.object([(key: "a", value: .int(1))])
        let two = IngestValue.object([(key: "a", value: .int(2))])
        #expect(try rows(#"[{"a":1},{"a":2}]"#) == [one, two])
        #expect(try rows("{\"a\":1}\n{\"a\":2}\n") == [one, two])
        #expect(try rows("{\"a\":1}\n") == [one])
        #expect(try rows(#"{"count": 2, "results": [{"a":1},{"a":2}]}"#) == [one, two])
        #expect(try positions(#"{"count": 2, "results": [{"a":1},{"a":2}]}"#).map(\.byteOffset) == [25, 33])
        // A list of scalars or an empty list does not make an envelope: the object is the row.
        #expect(try rows(#"{"a": 1, "tags": ["x", "y"]}"#) == [.object([(key: "a", value: .int(1)), (key: "tags", value: .array([.string("x"), .string("y")]))])])
        #expect(try rows(#"{"items": []}"#) == [.object([(key: "items", value: .array([]))])])
        #expect(try rows("{\n  \"a\": 1\n}\n") == [one])
        // JSON Lines whose rows hold lists of objects are still lines.
        #expect(try rows("{\"items\":[{\"a\":1}]}\n{\"items\":[]}\n").count == 2)
        #expect(try rows("42") == [.int(42)])
        #expect(try rows("1\n2\n") == [.int(1), .int(2)])
        #expect(try rows("").isEmpty)
        #expect(try rows(" \n\t").isEmpty)
    }

    @Test func aByteOrderMarkIsSkippedAndCounted() throws {
        let data = Data([0xEF, 0xBB, 0xBF]) + Data("{\"a\":1}\n{\"a\":2}".utf8)
        var positions: [RowPosition] = []
        try JSONReader.rows(from: data, layout: .lines) { _, position in positions.append(position) }
        #expect(positions == [RowPosition(row: 1, line: 1, byteOffset: 3), RowPosition(row: 2, line: 2, byteOffset: 11)])
        #expect(try JSONReader.rows(from: Data([0xEF, 0xBB, 0xBF]) + Data("[1]".utf8)) == [.int(1)])
    }

    @Test func bytesArraysAndRawBuffersReadLikeData() throws {
        let bytes = Array("[1, 2]".utf8)
        #expect(try JSONReader.rows(from: bytes) == [.int(1), .int(2)])
        let fromBuffer = try bytes.withUnsafeBytes { buffer in try JSONReader.rows(from: buffer, layout: .array) }
        #expect(fromBuffer == [.int(1), .int(2)])
        #expect(try JSONReader.rows(from: [UInt8](), layout: .lines).isEmpty)
    }

    @Test func theCallbackSeesRowsOneAtATimeAndItsErrorsPassThrough() throws {
        struct Stop: Error, Equatable {}
        var seen: [IngestValue] = []
        #expect(throws: Stop()) {
            try JSONReader.rows(from: Data("1\n2\n3\n".utf8)) { row, position in
                seen.append(row)
                if position.row == 2 { throw Stop() }
            }
        }
        #expect(seen == [.int(1), .int(2)])
    }

    @Test func aSingleDocumentReadsAsOneValue() throws {
        #expect(try JSONReader.value(from: Data(" {\"a\": [1, {}]} ".utf8)) == .object([(key: "a", value: .array([.int(1), .object([])]))]))
        #expect(throws: malformed("malformed JSON (line 2, byte 3): expected end of input after the document, found '2'")) {
            try JSONReader.value(from: Data("1\n 2".utf8))
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 0): expected a value, found end of input")) {
            try JSONReader.value(from: Data())
        }
    }

    @Test func positionsDescribeThemselvesLikeTheMessages() {
        #expect(RowPosition(row: 3, line: 3, byteOffset: 57).description == "row 3 (line 3, byte 57)")
    }

    // MARK: - Values

    @Test func scalarsMapToTheirIngestValues() throws {
        #expect(try JSONReader.value(from: Data(#"[true, false, null, "", 0, -0, 7, -12]"#.utf8))
            == .array([.bool(true), .bool(false), .null, .string(""), .int(0), .int(0), .int(7), .int(-12)]))
    }

    @Test(arguments: [
        ("9223372036854775807", IngestValue.int(.max)),
        ("-9223372036854775808", .int(.min)),
        ("9223372036854775808", .bigInteger("9223372036854775808")),
        ("-9223372036854775809", .bigInteger("-9223372036854775809")),
        ("18446744073709551615", .bigInteger("18446744073709551615")),
        ("123456789012345678901234567890", .bigInteger("123456789012345678901234567890")),
        ("1234567890123456789012345678901234567890.0", .double(1.2345678901234568e39)),
        ("1.0", .double(1)),
        ("1e2", .double(100)),
        ("1E+2", .double(100)),
        ("-2.5e-3", .double(-0.0025)),
        ("0.1", .double(0.1)),
        ("0.30000000000000004", .double(0.30000000000000004)),
        ("3.141592653589793238462643383279", .double(3.141592653589793)),
        ("1.7976931348623157e308", .double(.greatestFiniteMagnitude)),
        ("4.9406564584124654e-324", .double(.leastNonzeroMagnitude)),
        ("1e400", .double(.infinity)),
        ("-1e400", .double(-.infinity)),
        ("1e-400", .double(0)),
        ("0.000000000000000000000000000001", .double(1e-30)),
        ("100000000000000000000000", .bigInteger("100000000000000000000000")),
        ("1e23", .double(1e23)),
    ])
    func integersKeepTheirDigitsAndOtherNumbersAreDoubles(_ text: String, _ expected: IngestValue) throws {
        #expect(try JSONReader.value(from: Data(text.utf8)) == expected)
    }

    @Test func negativeZeroKeepsItsSign() throws {
        guard case .double(let value) = try JSONReader.value(from: Data("-0.0".utf8)) else {
            Issue.record("not a double")
            return
        }
        #expect(value == 0 && value.sign == .minus)
    }

    @Test func doublesReadBackExactlyAsTheStandardLibraryReadsThem() throws {
        var generator = SystemRandomNumberGenerator()
        var texts: [String] = []
        for _ in 0..<2_000 {
            let bits = generator.next() as UInt64
            let double = Double(bitPattern: bits)
            if double.isFinite { texts.append(double.description) }
            let digits = String(generator.next(upperBound: UInt64(10_000_000_000_000_000)))
            let exponent = Int(generator.next(upperBound: UInt64(80))) - 40
            texts.append("\(digits.prefix(1)).\(digits.dropFirst())e\(exponent)")
            texts.append("0.\(digits)")
        }
        let document = "[" + texts.joined(separator: ",") + "]"
        guard case .array(let values) = try JSONReader.value(from: Data(document.utf8)) else {
            Issue.record("not an array")
            return
        }
        #expect(values.count == texts.count)
        for (text, value) in zip(texts, values) {
            let expected = Double(text)!
            if case .double(let double) = value {
                #expect(double.bitPattern == expected.bitPattern, "\(text)")
            } else if case .int(let integer) = value {
                #expect(Double(integer) == expected, "\(text)")
            }
        }
    }

    @Test func stringsDecodeEveryEscape() throws {
        let text = #""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\uD83D\uDE00\u0000 end""#
        #expect(try JSONReader.value(from: Data(text.utf8)) == .string("\"\\/\u{8}\u{C}\n\r\tAé€😀\u{0} end"))
        #expect(try JSONReader.value(from: Data(#""h\u00C9llo""#.utf8)) == .string("hÉllo"))
    }

    @Test func rawUTF8PassesThrough() throws {
        let text = "\"naïve café – 日本語 😀 \u{F026}\""
        #expect(try JSONReader.value(from: Data(text.utf8)) == .string("naïve café – 日本語 😀 \u{F026}"))
    }

    @Test func stringsEndCorrectlyWhereverTheirSpecialBytesFall() throws {
        // The scanner checks eight bytes at a time: put quotes, escapes and multi-byte
        // characters at every offset around a word boundary.
        for length in 0..<40 {
            let plain = String(repeating: "x", count: length)
            #expect(try JSONReader.value(from: Data("[\"\(plain)\",1]".utf8)) == .array([.string(plain), .int(1)]))
            #expect(try JSONReader.value(from: Data("\"\(plain)\\n\(plain)\"".utf8)) == .string(plain + "\n" + plain))
            #expect(try JSONReader.value(from: Data("\"\(plain)é\(plain)\"".utf8)) == .string(plain + "é" + plain))
            #expect(try JSONReader.value(from: Data("\"\(plain)\\\"\"".utf8)) == .string(plain + "\""))
        }
    }

    @Test func objectsKeepTheirKeyOrder() throws {
        #expect(try JSONReader.value(from: Data(#"{"z": 1, "a": {"y": [], "b": {}}, "m": null}"#.utf8)) == .object([
            (key: "z", value: .int(1)),
            (key: "a", value: .object([(key: "y", value: .array([])), (key: "b", value: .object([]))])),
            (key: "m", value: .null),
        ]))
    }

    @Test func aRepeatedKeyKeepsItsFirstPositionAndLastValue() throws {
        #expect(try JSONReader.value(from: Data(#"{"a": 1, "b": 2, "a": 3}"#.utf8))
            == .object([(key: "a", value: .int(3)), (key: "b", value: .int(2))]))
        // The same key spelled with an escape is the same key.
        #expect(try JSONReader.value(from: Data(#"{"a": 1, "\u0061": 2}"#.utf8)) == .object([(key: "a", value: .int(2))]))
        // Wide objects take the hashed path.
        let keys = (0..<40).map { "key_number_\($0)" }
        let members = keys.map { "\"\($0)\": 1" } + ["\"key_number_7\": 2", "\"key_number_39\": 3"]
        let expected = IngestValue.object(keys.map { key in
            (key: key, value: .int(key == "key_number_7" ? 2 : key == "key_number_39" ? 3 : 1))
        })
        #expect(try JSONReader.value(from: Data("{\(members.joined(separator: ","))}".utf8)) == expected)
        let distinct = IngestValue.object(keys.map { (key: $0, value: .int(1)) })
        #expect(try JSONReader.value(from: Data("{\(keys.map { "\"\($0)\": 1" }.joined(separator: ","))}".utf8)) == distinct)
    }

    @Test func longKeysRepeatedAcrossRowsStayDistinct() throws {
        // Long keys are shared between rows; different keys must never be confused.
        let keys = (0..<2_000).map { "a_rather_long_key_name_\($0)" }
        let text = keys.map { "{\"\($0)\": 1, \"stargazers_count\": 2}" }.joined(separator: "\n")
        let read = try rows(text, layout: .lines)
        #expect(read == keys.map { .object([(key: $0, value: .int(1)), (key: "stargazers_count", value: .int(2))]) })
    }

    @Test func deepNestingWithinTheLimitReads() throws {
        let depth = 500
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONReader.value(from: Data(text.utf8))
        var levels = 0
        while case .array(let items) = value {
            levels += 1
            guard let first = items.first else { break }
            value = first
        }
        #expect(levels == depth)
    }

    // MARK: - Malformed input

    @Test func theMessageNamesRowLineByteAndExpectation() {
        let text = "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3, \"b\": 4 x}\n"
        #expect(throws: malformed("malformed JSON in row 3 (line 3, byte 34): expected ',' or '}' after an object member, found 'x'")) {
            try rows(text)
        }
    }

    @Test func aTruncatedDocumentSaysWhereItEnded() {
        #expect(throws: malformed("malformed JSON in row 2 (line 1, byte 14): expected a value, found end of input")) {
            try rows(#"[{"a":1},{"b":"#)
        }
        #expect(throws: malformed("malformed JSON after row 1 (line 1, byte 8): expected ',' or ']' after a row, found end of input")) {
            try rows(#"[{"a":1}"#)
        }
        #expect(throws: malformed("malformed JSON in row 1 (line 1, byte 6): expected ',' or '}' after an object member, found end of input")) {
            try rows(#"{"a":1"#, layout: .lines)
        }
        #expect(throws: malformed("malformed JSON in row 1 (line 1, byte 3): expected ',' or ']' after an array element, found end of input")) {
            try rows("[[1", layout: .array)
        }
    }

    @Test func trailingCommasAreRejected() {
        #expect(throws: malformed("malformed JSON in row 1 (line 1, byte 7): expected a member name in double quotes after ',', found '}'")) {
            try rows(#"{"a":1,}"#)
        }
        #expect(throws: malformed("malformed JSON after row 1 (line 1, byte 9): expected another row after ',', found ']'")) {
            try rows(#"[{"a":1},]"#)
        }
        #expect(throws: malformed("malformed JSON in row 1 (line 1, byte 8): expected a value after ',', found ']'")) {
            try rows(#"{"a":[1,]}"#)
        }
    }

    @Test func badEscapesAreRejected() {
        #expect(throws: malformed(#"malformed JSON in row 1 (line 1, byte 8): expected an escaped character (one of " \ / b f n r t u) after '\', found 'q'"#)) {
            try rows(#"{"a":"x\q"}"#)
        }
        #expect(throws: malformed(#"malformed JSON in row 1 (line 1, byte 10): expected 4 hex digits after '\u', found 'g'"#)) {
            try rows(#"{"a":"\u12g4"}"#)
        }
        #expect(throws: malformed(#"malformed JSON in row 1 (line 1, byte 6): unpaired UTF-16 surrogate \uD83D in a string: a high surrogate must be followed by a \u escape of a low one"#)) {
            try rows(#"{"a":"\uD83D!"}"#)
        }
        #expect(throws: malformed(#"malformed JSON in row 1 (line 1, byte 6): unpaired UTF-16 surrogate \uD83D in a string: it is followed by \u0041, not a low surrogate"#)) {
            try rows(#"{"a":"\uD83D\u0041"}"#)
        }
        #expect(throws: malformed(#"malformed JSON in row 1 (line 1, byte 6): unpaired UTF-16 surrogate \uDE00 in a string: a low surrogate must follow a high one"#)) {
            try rows(#"{"a":"\uDE00"}"#)
        }
    }

    @Test func invalidUTF8IsRejectedAtTheOffendingByte() {
        let invalid: [[UInt8]] = [[0xFF], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]]
        for bytes in invalid {
            let data = Data("{\"a\":\"ok ".utf8) + Data(bytes) + Data("\"}".utf8)
            let found = String(bytes[0], radix: 16, uppercase: true)
            #expect(throws: malformed("malformed JSON in row 1 (line 1, byte 9): invalid UTF-8 in a string, found byte 0x\(found)")) {
                try JSONReader.rows(from: data)
            }
        }
        // Invalid bytes far into a long string are found too.
        let long = Data("\"".utf8) + Data(repeating: 0x61, count: 100) + Data([0xE9]) + Data("\"".utf8)
        #expect(throws: malformed("malformed JSON (line 1, byte 101): invalid UTF-8 in a string, found byte 0xE9")) {
            try JSONReader.value(from: long)
        }
    }

    @Test func unterminatedStringsAndRawControlCharactersAreRejected() {
        #expect(throws: malformed(#"malformed JSON in row 1 (line 1, byte 9): expected '"' to close the string that starts at byte 5, found end of input"#)) {
            try rows(#"{"a":"abc"#)
        }
        // In JSON Lines, a string cut short by the end of its line.
        #expect(throws: malformed("malformed JSON in row 1 (line 1, byte 9): control characters must be escaped in strings, found a line break")) {
            try rows("{\"a\":\"abc\n{\"a\":\"b\"}\n", layout: .lines)
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 2): control characters must be escaped in strings, found a tab")) {
            try JSONReader.value(from: Data("\"a\tb\"".utf8))
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 1): control characters must be escaped in strings, found control character 0x01")) {
            try JSONReader.value(from: Data([0x22, 0x01, 0x22]))
        }
    }

    @Test func aRawControlCharacterIsFoundAtEveryOffset() {
        for offset in 0..<24 {
            let text = "\"" + String(repeating: "a", count: offset) + "\u{1F}" + String(repeating: "b", count: 10) + "\""
            #expect(throws: malformed("malformed JSON (line 1, byte \(offset + 1)): control characters must be escaped in strings, found control character 0x1F")) {
                try JSONReader.value(from: Data(text.utf8))
            }
        }
    }

    @Test func garbageBetweenJSONLinesRowsIsRejected() {
        #expect(throws: malformed("malformed JSON in row 2 (line 2, byte 8): expected a value, found 'g'")) {
            try rows("{\"a\":1}\ngarbage\n{\"a\":2}\n", layout: .lines)
        }
        #expect(throws: malformed("malformed JSON after row 1 (line 1, byte 8): expected a line break after the row, found '{'")) {
            try rows(#"{"a":1} {"a":2}"#, layout: .lines)
        }
        #expect(throws: malformed("malformed JSON after row 2 (line 2, byte 15): expected a line break after the row, found ','")) {
            try rows("{\"a\":1}\n{\"a\":2},\n", layout: .automatic)
        }
        #expect(throws: malformed("malformed JSON after row 1 (line 1, byte 7): expected a line break after the row, found 'x'")) {
            try rows("{\"a\":1}x\n{\"a\":2}\n")
        }
    }

    @Test func numbersAndLiteralsMustBeWellFormed() {
        #expect(throws: malformed("malformed JSON (line 1, byte 1): expected a digit after '-', found 'x'")) {
            try JSONReader.value(from: Data("-x".utf8))
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 2): expected a digit after '.', found end of input")) {
            try JSONReader.value(from: Data("1.".utf8))
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 3): expected a digit in the exponent, found ']'")) {
            try JSONReader.value(from: Data("[1e]".utf8))
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 1): numbers cannot have leading zeros, found '1' after '0'")) {
            try JSONReader.value(from: Data("01".utf8))
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 3): expected 'true', found '}'")) {
            try JSONReader.value(from: Data("tru}".utf8))
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 2): expected 'null', found end of input")) {
            try JSONReader.value(from: Data("nu".utf8))
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 0): expected a value, found '+'")) {
            try JSONReader.value(from: Data("+1".utf8))
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 0): expected a value, found 'é'")) {
            try JSONReader.value(from: Data("é".utf8))
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 0): expected a value, found byte 0xFF")) {
            try JSONReader.value(from: Data([0xFF]))
        }
    }

    @Test func objectSyntaxErrorsSayWhatWasExpected() {
        #expect(throws: malformed("malformed JSON in row 1 (line 1, byte 1): expected a member name in double quotes, found 'a'")) {
            try rows("{a: 1}")
        }
        #expect(throws: malformed("malformed JSON in row 1 (line 2, byte 6): expected ':' after the member name, found '1'")) {
            try rows("{\"a\"\n 1}")
        }
        #expect(throws: malformed("malformed JSON in row 1 (line 1, byte 3): expected ',' or ']' after an array element, found '}'")) {
            try rows("[[1}]")
        }
    }

    @Test func nestingBeyondTheLimitIsRejected() {
        let text = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: malformed("malformed JSON (line 1, byte 512): objects and arrays nest deeper than 512 levels")) {
            try JSONReader.value(from: Data(text.utf8))
        }
    }

    @Test func layoutMismatchesAreReported() {
        #expect(throws: malformed("malformed JSON (line 1, byte 0): expected '[' to start the top-level array of rows, found '{'")) {
            try rows(#"{"a":1}"#, layout: .array)
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 0): expected '[' to start the top-level array of rows, found end of input")) {
            try rows("", layout: .array)
        }
        #expect(throws: malformed("malformed JSON after row 2 (line 2, byte 6): expected end of input after the top-level array, found '['")) {
            try rows("[1,2]\n[3,4]")
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 0): expected '{' to start the top-level object holding the rows, found '['")) {
            try rows("[1]", layout: .objectHolding(key: nil))
        }
        #expect(throws: malformed(#"malformed JSON (line 1, byte 23): expected a member "items" holding the rows in the top-level object, found none"#)) {
            try rows(#"{"data": [{"a": 1}]}   "#, layout: .objectHolding(key: "items"))
        }
        #expect(throws: malformed("malformed JSON (line 1, byte 10): expected a member holding an array of rows in the top-level object, found none")) {
            try rows(#"{"a": 1}  "#, layout: .objectHolding(key: nil))
        }
        #expect(throws: malformed(#"malformed JSON (line 1, byte 10): expected an array of rows as the value of "items", found '{'"#)) {
            try rows(#"{"items": {}}"#, layout: .objectHolding(key: "items"))
        }
        #expect(throws: malformed("malformed JSON after row 1 (line 1, byte 18): expected end of input after the top-level object, found '{'")) {
            try rows(#"{"items": [1]}    {}"#, layout: .objectHolding(key: "items"))
        }
    }

    @Test func automaticLayoutErrorsBeforeTheShapeIsKnownNameTheFirstRow() {
        // Until the first value has been read, the reader cannot tell an envelope from a first
        // line; the line and byte are exact either way.
        #expect(throws: malformed("malformed JSON in row 1 (line 3, byte 30): expected ':' after the member name, found '}'")) {
            try rows("{\"items\": [\n  {\"a\": 1},\n  {\"a\"}\n]}")
        }
    }

    @Test func errorsInsideAnEnvelopeRowNameTheRow() {
        #expect(throws: malformed("malformed JSON in row 2 (line 3, byte 30): expected ':' after the member name, found '}'")) {
            try rows("{\"items\": [\n  {\"a\": 1},\n  {\"a\"}\n]}", layout: .objectHolding(key: "items"))
        }
    }
}
