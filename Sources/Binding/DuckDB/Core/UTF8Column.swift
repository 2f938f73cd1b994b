/// The strings of one column in one buffer: their UTF-8 bytes one after another, where each
/// ends, and which are NULL. A column of many short strings built this way costs no allocation
/// and no reference count per value, and DuckDB copies each straight out of the buffer
/// (`ColumnValues.utf8`).
public struct UTF8Column: Sendable, Equatable, ExpressibleByArrayLiteral {
    /// Every value's bytes, in order.
    public private(set) var bytes: [UInt8] = []
    /// Where each value ends in `bytes`; a NULL, which ends where the value before it does,
    /// stores that end complemented (negative), so that one array says both.
    private var ends: [Int] = []

    public init() {}

    public init(_ strings: [String?]) {
        ends.reserveCapacity(strings.count)
        for string in strings { append(string) }
    }

    public init(arrayLiteral elements: String?...) {
        self.init(elements)
    }

    public var count: Int { ends.count }

    public var isEmpty: Bool { ends.isEmpty }

    public func isNull(at index: Int) -> Bool { ends[index] < 0 }

    /// Where value `index` starts in `bytes`.
    @inline(__always)
    public func start(of index: Int) -> Int { index == 0 ? 0 : end(of: index - 1) }

    @inline(__always)
    public func end(of index: Int) -> Int {
        let end = ends[index]
        return end < 0 ? ~end : end
    }

    /// The value at `index` as a string; nil for NULL.
    public subscript(index: Int) -> String? {
        guard !isNull(at: index) else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[start(of: index)..<ends[index]]), as: UTF8.self)
        }
    }

    /// Every value as a string.
    public var strings: [String?] { (0..<count).map { self[$0] } }

    /// Calls `body` with the bytes of the value at `index`; nil, without calling it, for NULL.
    public func withUTF8<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        guard !isNull(at: index) else { return nil }
        return try bytes.withUnsafeBufferPointer { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[start(of: index)..<ends[index]]))
        }
    }

    /// The bytes of the values in `rows`, NULLs counting none.
    public func byteCount(of rows: Range<Int>) -> Int {
        rows.isEmpty ? 0 : end(of: rows.upperBound - 1) - start(of: rows.lowerBound)
    }

    public mutating func append(_ string: String?) {
        guard var string else { return appendNull() }
        string.withUTF8 { append(validUTF8: $0) }
    }

    /// Appends bytes known to be valid UTF-8 (a Swift string's, or text a JSON parser checked):
    /// DuckDB takes them as they are, without checking them again.
    public mutating func append(validUTF8 utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: utf8)
        ends.append(bytes.count)
    }

    public mutating func appendNull() {
        ends.append(~bytes.count)
    }

    /// Drops the last `count` values.
    public mutating func removeLast(_ count: Int) {
        guard count > 0 else { return }
        ends.removeLast(count)
        bytes.removeLast(bytes.count - (ends.isEmpty ? 0 : end(of: ends.count - 1)))
    }
}
