import Foundation

/// The byte-level JSON parser behind ``JSONReader``: recursive descent over a borrowed buffer,
/// building `IngestValue`s directly.
///
/// Speed comes from never leaving the bytes: strings are scanned eight bytes at a time and
/// created from the input in one go (escapes are decoded into a reused buffer), numbers are
/// accumulated while scanning, and containers are built on reused stacks and moved out into
/// exactly sized arrays. Lines are counted while skipping whitespace, the only place a line break
/// can occur, so error positions cost nothing until an error happens.
struct JSONParser: ~Copyable {
    /// Deeper documents are rejected rather than risking the stack (of this recursive parser, and
    /// of the recursive `IngestValue` operations after it).
    static let maximumDepth = 512

    private enum RowContext {
        case none
        case inRow(Int)
        case afterRow(Int)
    }

    /// Where a scanned string's bytes are: in the input, or decoded into `decodedBytes`.
    private struct ScannedString {
        let start: Int
        let end: Int
        let escaped: Bool
    }

    private let base: UnsafePointer<UInt8>
    private let count: Int
    private let typed: Bool
    private var index = 0
    private var line = 1
    private var context = RowContext.none

    private var members = ScratchStack<(key: String, value: IngestValue)>()
    private var memberHashes = ScratchStack<UInt64>()
    private var elements = ScratchStack<IngestValue>()
    private var decodedBytes = ScratchStack<UInt8>(capacity: 256)
    private var keys = KeyInterner()
    // The table that finds repeated keys in wide objects; allocated with the first one.
    private var seenHashes: [UInt64] = []
    private var seenStamps: [UInt32] = []
    private var stamp: UInt32 = 0

    /// `bytes` must stay valid for the parser's lifetime; with `count` 0 it is never read.
    init(bytes: UnsafePointer<UInt8>, count: Int, typed: Bool) {
        base = bytes
        self.count = count
        self.typed = typed
    }

    // MARK: - Documents and layouts

    /// A row reader that may read the row at the parser's position straight from the bytes:
    /// see ``readRows(layout:inPlace:body:)``.
    typealias InPlaceReader = (inout JSONParser) throws -> Bool

    /// Reads the rows of the whole input, calling `body` with each.
    mutating func readRows(layout: JSONLayout, body: (IngestValue, RowPosition) throws -> Void) throws {
        try readRows(layout: layout, inPlace: { _ in false }, body: body)
    }

    /// Reads the rows of the whole input, offering each to `inPlace` first: it may read the row
    /// member by member (``beginObject()``, ``nextMemberKey(first:)``, ``value(depth:)``,
    /// ``skipValue(depth:)``) and return true, or return false having consumed nothing, and the row
    /// is read whole and handed to `body`.
    mutating func readRows(layout: JSONLayout, inPlace: InPlaceReader, body: (IngestValue, RowPosition) throws -> Void) throws {
        skipByteOrderMark()
        switch layout {
        case .array:
            skipWhitespace()
            guard index < count, base[index] == UInt8(ascii: "[") else {
                throw failure(expected: "'[' to start the top-level array of rows")
            }
            try readArrayRows(inPlace, body)
            try expectEndOfInput(after: "the top-level array")
        case .lines:
            try readLineRows(firstRow: 1, inPlace, body)
        case .objectHolding(let key):
            try readEnvelope(key: key, inPlace, body)
        case .automatic:
            try readAutomatically(inPlace, body)
        }
    }

    /// Reads the input as one JSON document.
    mutating func readDocument() throws(IngestError) -> IngestValue {
        skipByteOrderMark()
        let value = try parseValue(depth: 0)
        try expectEndOfInput(after: "the document")
        return value
    }

    private mutating func readAutomatically(_ inPlace: InPlaceReader, _ body: (IngestValue, RowPosition) throws -> Void) throws {
        skipWhitespace()
        guard index < count else { return }
        if base[index] == UInt8(ascii: "[") {
            try readArrayRows(inPlace, body)
            try expectEndOfInput(after: "the top-level array")
            return
        }
        // Probe the first value without keeping it (an envelope can be most of the input), then
        // read again in the layout it revealed.
        let start = (index: index, line: line)
        context = .inRow(1)
        var holder: String?
        if base[index] == UInt8(ascii: "{") {
            holder = try probeEnvelope()
        } else {
            _ = try parseValue(depth: 0)
        }
        context = .afterRow(1)
        try expectLineEnd()
        skipWhitespace()
        let isOnlyValue = index == count
        index = start.index
        line = start.line
        if isOnlyValue, let holder {
            context = .none
            try readEnvelope(key: holder, inPlace, body)
        } else {
            try readLineRows(firstRow: 1, inPlace, body)
        }
    }

    /// Reads the object at `index` member by member, keeping no member's value, and returns the
    /// name of the first member that holds a non-empty array of objects.
    private mutating func probeEnvelope() throws(IngestError) -> String? {
        index += 1
        skipWhitespace()
        if index < count, base[index] == UInt8(ascii: "}") {
            index += 1
            return nil
        }
        var holder: String?
        var isFirstMember = true
        while true {
            guard index < count, base[index] == JSONBytes.quote else {
                throw failure(expected: isFirstMember ? "a member name in double quotes" : "a member name in double quotes after ','")
            }
            isFirstMember = false
            let name = try parseKey().name
            try expectColon()
            skipWhitespace()
            if holder == nil, index < count, base[index] == UInt8(ascii: "[") {
                if try probeArrayOfObjects() { holder = name }
            } else {
                _ = try parseValue(depth: 1)
            }
            if try moreMembers() { continue }
            return holder
        }
    }

    /// Reads the array at `index` one element at a time: whether it is non-empty and all objects.
    private mutating func probeArrayOfObjects() throws(IngestError) -> Bool {
        index += 1
        skipWhitespace()
        if index < count, base[index] == UInt8(ascii: "]") {
            index += 1
            return false
        }
        var allObjects = true
        while true {
            if case .object = try parseValue(depth: 2) {} else { allObjects = false }
            skipWhitespace()
            guard index < count else { throw failure(expected: "',' or ']' after an array element") }
            if base[index] == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                if index < count, base[index] == UInt8(ascii: "]") { throw failure(expected: "a value after ','") }
                continue
            }
            guard base[index] == UInt8(ascii: "]") else { throw failure(expected: "',' or ']' after an array element") }
            index += 1
            return allObjects
        }
    }

    /// Reads rows from the `[` at `index` through the matching `]`.
    private mutating func readArrayRows(_ inPlace: InPlaceReader, _ body: (IngestValue, RowPosition) throws -> Void) throws {
        index += 1
        skipWhitespace()
        if index < count, base[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        var row = 0
        while true {
            row += 1
            context = .inRow(row)
            let position = RowPosition(row: row, line: line, byteOffset: index)
            if try inPlace(&self) {
                context = .afterRow(row)
            } else {
                let value = try parseValue(depth: 1)
                context = .afterRow(row)
                try body(value, position)
            }
            skipWhitespace()
            guard index < count else { throw failure(expected: "',' or ']' after a row") }
            switch base[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                if index < count, base[index] == UInt8(ascii: "]") {
                    throw failure(expected: "another row after ','")
                }
            case UInt8(ascii: "]"):
                index += 1
                return
            default:
                throw failure(expected: "',' or ']' after a row")
            }
        }
    }

    private mutating func readLineRows(firstRow: Int, _ inPlace: InPlaceReader, _ body: (IngestValue, RowPosition) throws -> Void) throws {
        var row = firstRow - 1
        while true {
            skipWhitespace()
            guard index < count else { return }
            row += 1
            context = .inRow(row)
            let position = RowPosition(row: row, line: line, byteOffset: index)
            if try inPlace(&self) {
                context = .afterRow(row)
                try expectLineEnd()
                continue
            }
            let value = try parseValue(depth: 0)
            context = .afterRow(row)
            try expectLineEnd()
            try body(value, position)
        }
    }

    private mutating func readEnvelope(key: String?, _ inPlace: InPlaceReader, _ body: (IngestValue, RowPosition) throws -> Void) throws {
        skipWhitespace()
        guard index < count, base[index] == UInt8(ascii: "{") else {
            throw failure(expected: "'{' to start the top-level object holding the rows")
        }
        index += 1
        skipWhitespace()
        var found = false
        if index < count, base[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                guard index < count, base[index] == JSONBytes.quote else {
                    throw failure(expected: "a member name in double quotes")
                }
                let name = try parseKey().name
                try expectColon()
                skipWhitespace()
                let holdsRows = !found && (key.map { $0 == name } ?? (index < count && base[index] == UInt8(ascii: "[")))
                if holdsRows {
                    guard index < count, base[index] == UInt8(ascii: "[") else {
                        throw failure(expected: "an array of rows as the value of \"\(name)\"")
                    }
                    try readArrayRows(inPlace, body)
                    found = true
                } else {
                    _ = try parseValue(depth: 1)
                }
                if try moreMembers() { continue }
                break
            }
        }
        try expectEndOfInput(after: "the top-level object")
        guard found else {
            let what = key.map { "a member \"\($0)\" holding the rows" } ?? "a member holding an array of rows"
            throw failure(detail: "expected \(what) in the top-level object, found none")
        }
    }

    // MARK: - Rows read in place

    /// Where reading stands, to read a value again from its start.
    struct Mark {
        fileprivate let index: Int
        fileprivate let line: Int
    }

    var mark: Mark { Mark(index: index, line: line) }

    mutating func rewind(to mark: Mark) {
        index = mark.index
        line = mark.line
    }

    /// Consumes the `{` that starts the next value and returns true; false, consuming nothing but
    /// whitespace, when the next value is not an object.
    mutating func beginObject() -> Bool {
        skipWhitespace()
        guard index < count, base[index] == UInt8(ascii: "{") else { return false }
        index += 1
        return true
    }

    /// The first byte of the next value, nil at the end of the input.
    mutating func nextValueByte() -> UInt8? {
        skipWhitespace()
        return index < count ? base[index] : nil
    }

    /// The name of the next member of the object being read (its value comes next), or nil
    /// after consuming the object's `}`. `first`: right after ``beginObject()``. Repeated keys are
    /// not merged here: a reader of members must not expect them.
    mutating func nextMemberKey(first: Bool) throws(IngestError) -> String? {
        guard try atNextMember(first: first) else { return nil }
        let key = try parseKey()
        try expectColon()
        return key.name
    }

    /// Moves to the next member's name and returns true, or consumes the object's `}` and
    /// returns false.
    private mutating func atNextMember(first: Bool) throws(IngestError) -> Bool {
        if first {
            skipWhitespace()
            if index < count, base[index] == UInt8(ascii: "}") {
                index += 1
                return false
            }
        } else if try !moreMembers() {
            return false
        }
        guard index < count, base[index] == JSONBytes.quote else {
            throw failure(expected: first ? "a member name in double quotes" : "a member name in double quotes after ','")
        }
        return true
    }

    /// ``nextMemberKey(first:)`` for a reader looking for one member: whether the key is `name`
    /// (its UTF-8 bytes), without making a string of it; nil after consuming the object's `}`.
    mutating func nextMemberKey(first: Bool, is name: [UInt8]) throws(IngestError) -> Bool? {
        try name.withUnsafeBufferPointer { name throws(IngestError) in
            try nextMemberKey(first: first, is: name.baseAddress, count: name.count)
        }
    }

    /// ``nextMemberKey(first:is:)`` with the name as `count` bytes at `name` (nil when empty).
    @inline(__always)
    mutating func nextMemberKey(first: Bool, is name: UnsafePointer<UInt8>?, count: Int) throws(IngestError) -> Bool? {
        guard try atNextMember(first: first) else { return nil }
        let key = scannedBytes(try scanString())
        try expectColon()
        guard key.count == count else { return false }
        guard let name else { return true }
        // Keys are short: word compares beat a call to memcmp.
        let a = UnsafeRawPointer(key.start), b = UnsafeRawPointer(name)
        var offset = 0
        while offset &+ 8 <= count {
            if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
            offset &+= 8
        }
        while offset < count {
            if key.start[offset] != name[offset] { return false }
            offset &+= 1
        }
        return true
    }

    /// The next value, whole, `depth` levels into the row.
    mutating func value(depth: Int) throws(IngestError) -> IngestValue {
        try parseValue(depth: depth)
    }

    /// Passes the bytes of the next value to `body` and consumes it when it is a string (escapes
    /// decoded, UTF-8 checked) that is not a typed value; nil, consuming nothing but whitespace,
    /// otherwise. The bytes are valid only inside `body`: for a reader that needs no `String`.
    mutating func withStringValue<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) throws(IngestError) -> R? {
        skipWhitespace()
        guard index < count, base[index] == JSONBytes.quote else { return nil }
        let opening = index
        let bytes = scannedBytes(try scanString())
        if typed, TypedJSONMarker.startsWithReservedCharacter(bytes.start, count: bytes.count) {
            index = opening
            return nil
        }
        return body(UnsafeBufferPointer(start: bytes.start, count: bytes.count))
    }

    /// The offset of the next byte to read from the start of the input.
    var byteOffset: Int { index }

    /// Consumes the `[` that starts the next value and returns true; false, consuming nothing but
    /// whitespace, when the next value is not an array.
    mutating func beginArray() -> Bool {
        skipWhitespace()
        guard index < count, base[index] == UInt8(ascii: "[") else { return false }
        index += 1
        return true
    }

    /// Whether another element of the array being read follows (it comes next), or false after
    /// consuming the array's `]`. `first`: right after ``beginArray()``.
    mutating func nextElement(first: Bool) throws(IngestError) -> Bool {
        skipWhitespace()
        guard index < count else { throw failure(expected: first ? "a value" : "',' or ']' after an array element") }
        if base[index] == UInt8(ascii: "]") {
            index += 1
            return false
        }
        guard !first else { return true }
        guard base[index] == UInt8(ascii: ",") else { throw failure(expected: "',' or ']' after an array element") }
        index += 1
        skipWhitespace()
        if index < count, base[index] == UInt8(ascii: "]") { throw failure(expected: "a value after ','") }
        return true
    }

    /// Moves past the next value, checking it as ``value(depth:)`` would (the same errors at the
    /// same places) without building it: no strings, arrays or objects are allocated.
    mutating func skipValue(depth: Int) throws(IngestError) {
        skipWhitespace()
        guard index < count else { throw failure(expected: "a value") }
        switch base[index] {
        case JSONBytes.quote:
            _ = try scanString()
        case UInt8(ascii: "{"):
            guard try openContainer(depth: depth, closing: UInt8(ascii: "}")) else { return }
            var first = true
            repeat {
                guard index < count, base[index] == JSONBytes.quote else {
                    throw failure(expected: first ? "a member name in double quotes" : "a member name in double quotes after ','")
                }
                first = false
                _ = try scanString()
                try expectColon()
                try skipValue(depth: depth + 1)
            } while try moreMembers()
        case UInt8(ascii: "["):
            guard try openContainer(depth: depth, closing: UInt8(ascii: "]")) else { return }
            var first = true
            while try nextElement(first: first) {
                first = false
                try skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try parseNumber()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
        case UInt8(ascii: "f"):
            try expectLiteral("false")
        case UInt8(ascii: "n"):
            try expectLiteral("null")
        default:
            throw failure(expected: "a value")
        }
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(IngestError) -> IngestValue {
        skipWhitespace()
        guard index < count else { throw failure(expected: "a value") }
        switch base[index] {
        case JSONBytes.quote:
            return try parseStringValue()
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw failure(expected: "a value")
        }
    }

    /// Checks the depth and consumes the `{` or `[` at `index`; false, having consumed `closing`
    /// too, when the container is empty.
    private mutating func openContainer(depth: Int, closing: UInt8) throws(IngestError) -> Bool {
        guard depth < Self.maximumDepth else {
            throw failure(detail: "objects and arrays nest deeper than \(Self.maximumDepth) levels")
        }
        index += 1
        skipWhitespace()
        guard index < count, base[index] == closing else { return true }
        index += 1
        return false
    }

    private mutating func parseObject(depth: Int) throws(IngestError) -> IngestValue {
        guard try openContainer(depth: depth, closing: UInt8(ascii: "}")) else { return .object([]) }
        let start = members.count
        while true {
            guard index < count, base[index] == JSONBytes.quote else {
                throw failure(expected: members.count == start ? "a member name in double quotes" : "a member name in double quotes after ','")
            }
            let key = try parseKey()
            try expectColon()
            let value = try parseValue(depth: depth + 1)
            members.push((key: key.name, value: value))
            memberHashes.push(key.hash)
            if try moreMembers() { continue }
            break
        }
        return .object(finishObject(from: start))
    }

    /// After an object member: consumes a ',' and returns true when another member follows, or
    /// consumes the closing '}' and returns false.
    @inline(__always)
    private mutating func moreMembers() throws(IngestError) -> Bool {
        skipWhitespace()
        guard index < count else { throw failure(expected: "',' or '}' after an object member") }
        let byte = base[index]
        if byte == UInt8(ascii: ",") {
            index += 1
            skipWhitespace()
            return true
        }
        guard byte == UInt8(ascii: "}") else { throw failure(expected: "',' or '}' after an object member") }
        index += 1
        return false
    }

    private mutating func parseArray(depth: Int) throws(IngestError) -> IngestValue {
        guard try openContainer(depth: depth, closing: UInt8(ascii: "]")) else { return .array([]) }
        let start = elements.count
        while true {
            let value = try parseValue(depth: depth + 1)
            elements.push(value)
            skipWhitespace()
            guard index < count else { throw failure(expected: "',' or ']' after an array element") }
            let byte = base[index]
            if byte == UInt8(ascii: ",") {
                index += 1
                skipWhitespace()
                if index < count, base[index] == UInt8(ascii: "]") { throw failure(expected: "a value after ','") }
                continue
            }
            guard byte == UInt8(ascii: "]") else { throw failure(expected: "',' or ']' after an array element") }
            index += 1
            break
        }
        return .array(elements.popArray(from: start))
    }

    // MARK: - Objects: duplicate keys

    /// Pops the members of the object being finished. A repeated key keeps its first position and
    /// its last value, as in most JSON readers (Python's included).
    private mutating func finishObject(from start: Int) -> [(key: String, value: IngestValue)] {
        let memberCount = members.count - start
        let mayRepeat = memberCount > 1 && hasRepeatedHash(from: start, count: memberCount)
        memberHashes.pop(to: start)
        let fields = members.popArray(from: start)
        return mayRepeat ? Self.mergingRepeatedKeys(fields) : fields
    }

    /// Whether two of the object's key hashes are equal: pairwise for small objects, with a reused
    /// open-addressing table beyond that so that wide objects stay linear.
    private mutating func hasRepeatedHash(from start: Int, count memberCount: Int) -> Bool {
        if memberCount <= 8 {
            return memberHashes.withElements(from: start) { hashes in
                for later in 1..<hashes.count {
                    for earlier in 0..<later where hashes[earlier] == hashes[later] { return true }
                }
                return false
            }
        }
        if seenHashes.count < memberCount * 2 {
            var size = max(seenHashes.count, 64)
            while size < memberCount * 2 { size *= 2 }
            seenHashes = [UInt64](repeating: 0, count: size)
            seenStamps = [UInt32](repeating: 0, count: size)
            stamp = 0
        }
        stamp &+= 1
        if stamp == 0 {
            // The stamp wrapped: old entries could look current.
            for slot in seenStamps.indices { seenStamps[slot] = 0 }
            stamp = 1
        }
        let mask = seenHashes.count - 1
        let currentStamp = stamp
        return memberHashes.withElements(from: start) { hashes in
            seenStamps.withUnsafeMutableBufferPointer { stamps in
                seenHashes.withUnsafeMutableBufferPointer { seen in
                    for hash in hashes {
                        var slot = Int(truncatingIfNeeded: hash) & mask
                        while stamps[slot] == currentStamp {
                            if seen[slot] == hash { return true }
                            slot = (slot + 1) & mask
                        }
                        stamps[slot] = currentStamp
                        seen[slot] = hash
                    }
                    return false
                }
            }
        }
    }

    private static func mergingRepeatedKeys(_ fields: [(key: String, value: IngestValue)]) -> [(key: String, value: IngestValue)] {
        var positions: [String: Int] = [:]
        var merged: [(key: String, value: IngestValue)] = []
        merged.reserveCapacity(fields.count)
        for field in fields {
            if let position = positions[field.key] {
                merged[position].value = field.value
            } else {
                positions[field.key] = merged.count
                merged.append(field)
            }
        }
        return merged
    }

    // MARK: - Strings

    private mutating func parseKey() throws(IngestError) -> (name: String, hash: UInt64) {
        let scanned = try scanString()
        let bytes = scannedBytes(scanned)
        let hash = JSONBytes.hash(bytes.start, count: bytes.count)
        return (keys.key(bytes.start, count: bytes.count, hash: hash), hash)
    }

    private mutating func parseStringValue() throws(IngestError) -> IngestValue {
        let scanned = try scanString()
        let bytes = scannedBytes(scanned)
        if typed, TypedJSONMarker.startsWithReservedCharacter(bytes.start, count: bytes.count) {
            return try typedValue(bytes.start, count: bytes.count, quoteOffset: scanned.start - 1)
        }
        return .string(String(decoding: UnsafeBufferPointer(start: bytes.start, count: bytes.count), as: UTF8.self))
    }

    @inline(__always)
    private func scannedBytes(_ scanned: ScannedString) -> (start: UnsafePointer<UInt8>, count: Int) {
        scanned.escaped ? (decodedBytes.baseAddress, decodedBytes.count) : (base + scanned.start, scanned.end - scanned.start)
    }

    /// Scans the string whose opening quote is at `index` and moves past its closing quote. The
    /// content is checked to be valid UTF-8; escapes are decoded into `decodedBytes`.
    private mutating func scanString() throws(IngestError) -> ScannedString {
        let opening = index
        let start = index + 1
        var position = start
        var runStart = start
        var escaped = false
        var highBits: UInt64 = 0
        let raw = UnsafeRawPointer(base)
        while true {
            while position &+ 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                if JSONBytes.stringStopMask(word) != 0 { break }
                highBits |= word
                position &+= 8
            }
            guard position < count else {
                index = position
                throw failure(expected: "'\"' to close the string that starts at byte \(opening)")
            }
            let byte = base[position]
            if byte == JSONBytes.quote { break }
            if byte == JSONBytes.backslash {
                if !escaped {
                    escaped = true
                    decodedBytes.removeAll()
                }
                decodedBytes.append(base + runStart, count: position - runStart)
                position = try decodeEscape(at: position)
                runStart = position
                continue
            }
            if byte < 0x20 {
                index = position
                throw failure(detail: "control characters must be escaped in strings, found \(describeByte(at: position))")
            }
            highBits |= UInt64(byte)
            position &+= 1
        }
        if escaped { decodedBytes.append(base + runStart, count: position - runStart) }
        if highBits & 0x8080_8080_8080_8080 != 0,
           let invalid = UTF8Validation.firstInvalidByte(in: base + start, count: position - start) {
            index = start + invalid
            throw failure(detail: "invalid UTF-8 in a string, found \(describeByte(at: index))")
        }
        index = position + 1
        return ScannedString(start: start, end: position, escaped: escaped)
    }

    /// Decodes the escape whose backslash is at `position` into `decodedBytes`; returns the
    /// offset after it.
    private mutating func decodeEscape(at position: Int) throws(IngestError) -> Int {
        guard position + 1 < count else {
            index = position + 1
            throw failure(expected: "an escaped character after '\\'")
        }
        let simple: UInt8
        switch base[position + 1] {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            return try decodeUnicodeEscape(at: position)
        default:
            index = position + 1
            throw failure(expected: "an escaped character (one of \" \\ / b f n r t u) after '\\'")
        }
        decodedBytes.push(simple)
        return position + 2
    }

    private mutating func decodeUnicodeEscape(at position: Int) throws(IngestError) -> Int {
        let unit = try hexQuad(at: position + 2)
        var scalarValue = UInt32(unit)
        var end = position + 6
        switch unit {
        case 0xD800...0xDBFF:
            guard end + 1 < count, base[end] == JSONBytes.backslash, base[end + 1] == UInt8(ascii: "u") else {
                index = position
                throw failure(detail: "unpaired UTF-16 surrogate \\u\(Self.hex(unit)) in a string: a high surrogate must be followed by a \\u escape of a low one")
            }
            let low = try hexQuad(at: end + 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                index = position
                throw failure(detail: "unpaired UTF-16 surrogate \\u\(Self.hex(unit)) in a string: it is followed by \\u\(Self.hex(low)), not a low surrogate")
            }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            end += 6
        case 0xDC00...0xDFFF:
            index = position
            throw failure(detail: "unpaired UTF-16 surrogate \\u\(Self.hex(unit)) in a string: a low surrogate must follow a high one")
        default:
            break
        }
        for byte in UTF8.encode(Unicode.Scalar(scalarValue)!)! { decodedBytes.push(byte) }
        return end
    }

    private mutating func hexQuad(at position: Int) throws(IngestError) -> UInt16 {
        var value: UInt16 = 0
        for offset in 0..<4 {
            let digitIndex = position + offset
            guard digitIndex < count, let digit = Self.hexDigitValue(base[digitIndex]) else {
                index = digitIndex
                throw failure(expected: "4 hex digits after '\\u'")
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private static func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func hex(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    // MARK: - Typed JSON lines

    /// Decodes a string that starts with a typed-JSON marker (see ``TypedJSONLWriter``).
    private mutating func typedValue(_ bytes: UnsafePointer<UInt8>, count byteCount: Int, quoteOffset: Int) throws(IngestError) -> IngestValue {
        let payloadBuffer = UnsafeBufferPointer(start: bytes + 3, count: byteCount - 3)
        let payload = String(decoding: payloadBuffer, as: UTF8.self)
        let marker = TypedJSONMarker(rawValue: bytes[2])
        let value: IngestValue? = switch marker {
        case .decimal: .decimal(payload)
        case .date: Self.integer(payloadBuffer).flatMap(Int32.init(exactly:)).map(IngestValue.date)
        case .time: Self.integer(payloadBuffer).map(IngestValue.time)
        case .timestamp: Self.integer(payloadBuffer).map(IngestValue.timestamp)
        case .binary: Data(base64Encoded: payload).map(IngestValue.binary)
        case .nonFiniteDouble:
            switch payload {
            case "nan": .double(.nan)
            case "inf": .double(.infinity)
            case "-inf": .double(-.infinity)
            default: nil
            }
        case .escapedString: .string(payload)
        case nil: nil
        }
        guard let value else {
            index = quoteOffset
            let character = "U+F0\(String(bytes[2] - 0x80, radix: 16, uppercase: true))"
            if marker == nil {
                throw failure(detail: "unknown typed-value marker \(character) at the start of a string")
            }
            throw failure(detail: "invalid typed value after the marker \(character): \"\(payload)\"")
        }
        return value
    }

    /// An optionally negative decimal integer, or nil when the text is not one or overflows.
    private static func integer(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        var digits = text[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for byte in digits {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            magnitude = magnitude * 10 + UInt64(digit)
        }
        if negative { return magnitude <= 1 << 63 ? Int64(bitPattern: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    // MARK: - Numbers and literals

    /// Exact powers of ten as doubles: with a significand below 2^53 and one of these, one IEEE
    /// multiplication or division gives the correctly rounded result (Clinger's fast path).
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Integers that fit Int64 become `.int`, longer ones `.bigInteger` with their digits;
    /// anything with a fraction or an exponent becomes `.double`.
    private mutating func parseNumber() throws(IngestError) -> IngestValue {
        let start = index
        var position = index
        let negative = base[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        guard position < count, base[position] &- 0x30 < 10 else {
            index = position
            throw failure(expected: "a digit after '-'")
        }
        var significand: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        // False once a non-zero digit had to be dropped: the significand no longer spells the
        // number, so the fast path cannot be used.
        var exact = true
        if base[position] == UInt8(ascii: "0") {
            position += 1
            if position < count, base[position] &- 0x30 < 10 {
                index = position
                throw failure(detail: "numbers cannot have leading zeros, found \(describeByte(at: position)) after '0'")
            }
        } else {
            while position < count {
                let digit = base[position] &- 0x30
                guard digit < 10 else { break }
                if significantDigits < 19 {
                    significand = significand &* 10 &+ UInt64(digit)
                    significantDigits += 1
                } else {
                    exponent += 1
                    if digit != 0 { exact = false }
                }
                position += 1
            }
        }
        var isInteger = true
        if position < count, base[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < count, base[position] &- 0x30 < 10 else {
                index = position
                throw failure(expected: "a digit after '.'")
            }
            while position < count {
                let digit = base[position] &- 0x30
                guard digit < 10 else { break }
                if significantDigits < 19 {
                    significand = significand &* 10 &+ UInt64(digit)
                    exponent -= 1
                    if significand != 0 { significantDigits += 1 }
                } else if digit != 0 {
                    exact = false
                }
                position += 1
            }
        }
        if position < count, base[position] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            var exponentIsNegative = false
            if position < count, base[position] == UInt8(ascii: "-") || base[position] == UInt8(ascii: "+") {
                exponentIsNegative = base[position] == UInt8(ascii: "-")
                position += 1
            }
            guard position < count, base[position] &- 0x30 < 10 else {
                index = position
                throw failure(expected: "a digit in the exponent")
            }
            var written = 0
            while position < count {
                let digit = base[position] &- 0x30
                guard digit < 10 else { break }
                if written < 100_000 { written = written * 10 + Int(digit) }
                position += 1
            }
            exponent += exponentIsNegative ? -written : written
        }
        index = position
        if isInteger {
            if exponent == 0 {
                if negative, significand <= 1 << 63 { return .int(Int64(bitPattern: 0 &- significand)) }
                if !negative, significand <= UInt64(Int64.max) { return .int(Int64(significand)) }
            }
            // Digits JSON spells exactly stay exact: ids and amounts beyond 64 bits are not doubles.
            return .bigInteger(String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self))
        }
        if exact, significand <= 1 << 53, exponent >= -22, exponent <= 22 {
            let magnitude = exponent < 0
                ? Double(significand) / Self.exactPowersOfTen[-exponent]
                : Double(significand) * Self.exactPowersOfTen[exponent]
            return .double(negative ? -magnitude : magnitude)
        }
        // The rare long or extreme number: the standard library's correctly rounding parser.
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
        guard let value = Double(text) else {
            index = start
            throw failure(detail: "the number \(text) cannot be read as a double")
        }
        return .double(value)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(IngestError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for offset in 0..<expected.count where index + offset >= count || base[index + offset] != expected[offset] {
            index += offset
            throw failure(expected: "'\(literal)'")
        }
        index += expected.count
    }

    // MARK: - Punctuation and whitespace

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < count {
            let byte = base[index]
            if byte > 0x20 { return }
            switch byte {
            case 0x20, 0x09, 0x0D: index += 1
            case JSONBytes.newline:
                index += 1
                line += 1
            default: return
            }
        }
    }

    private mutating func skipByteOrderMark() {
        if count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { index = 3 }
    }

    @inline(__always)
    private mutating func expectColon() throws(IngestError) {
        skipWhitespace()
        guard index < count, base[index] == UInt8(ascii: ":") else { throw failure(expected: "':' after the member name") }
        index += 1
    }

    /// After a JSON Lines row only blanks may follow on its line.
    private mutating func expectLineEnd() throws(IngestError) {
        while index < count {
            switch base[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case JSONBytes.newline: return
            default: throw failure(expected: "a line break after the row")
            }
        }
    }

    private mutating func expectEndOfInput(after what: String) throws(IngestError) {
        skipWhitespace()
        guard index == count else { throw failure(expected: "end of input after \(what)") }
    }

    // MARK: - Errors

    private func failure(expected: String) -> IngestError {
        failure(detail: "expected \(expected), found \(describeByte(at: index))")
    }

    private func failure(detail: String) -> IngestError {
        let (relation, row): (String?, Int) = switch context {
        case .none: (nil, 0)
        case .inRow(let row): ("in", row)
        case .afterRow(let row): ("after", row)
        }
        return IngestError.malformedJSON(.init(relation: relation, row: row, line: line, byte: index, detail: detail))
    }

    /// The byte (or character) at `position` as a message shows it.
    private func describeByte(at position: Int) -> String {
        guard position < count else { return "end of input" }
        let byte = base[position]
        switch byte {
        case JSONBytes.newline: return "a line break"
        case 0x0D: return "a carriage return"
        case 0x09: return "a tab"
        case 0x20: return "a space"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0x80...:
            let length = UTF8Validation.sequenceLength(at: base + position, available: count - position)
            guard length > 0 else { return "byte 0x\(String(byte, radix: 16, uppercase: true))" }
            return "'\(String(decoding: UnsafeBufferPointer(start: base + position, count: length), as: UTF8.self))'"
        default:
            let digits = String(byte, radix: 16, uppercase: true)
            return "control character 0x\(digits.count == 1 ? "0" : "")\(digits)"
        }
    }
}
