import Foundation

/// Turns one stream's bytes into masked log lines: splits at `\n` (dropping a `\r` before it),
/// caps a line at `maxLineBytes` and drops the rest of it, and flushes a final partial line.
struct LineAssembler {
    let stream: CapturedLine.Stream
    let maxLineBytes: Int
    let masker: SecretMasker
    private var pending: [UInt8] = []
    /// Set after a truncated line was emitted: bytes are dropped until that line ends.
    private var droppingRestOfLine = false

    init(stream: CapturedLine.Stream, maxLineBytes: Int, masker: SecretMasker) {
        self.stream = stream
        self.maxLineBytes = max(1, maxLineBytes)
        self.masker = masker
    }

    /// A line is cut only once this many bytes are pending: the extra bytes let the masker see
    /// a secret that straddles the cut whole.
    private var cutThreshold: Int { maxLineBytes + max(0, masker.longestValueLength - 1) }

    mutating func append(_ chunk: UnsafeRawBufferPointer, at time: Date, into lines: inout [CapturedLine]) {
        var position = chunk.startIndex
        while position < chunk.endIndex {
            let newline = chunk[position...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline ?? chunk.endIndex
            if droppingRestOfLine {
                if newline != nil { droppingRestOfLine = false }
            } else {
                pending.append(contentsOf: chunk[position..<end])
                if newline != nil {
                    emitWhole(at: time, into: &lines)
                } else if pending.count >= cutThreshold {
                    emitTruncated(at: time, into: &lines)
                    droppingRestOfLine = true
                }
            }
            position = newline.map { $0 + 1 } ?? chunk.endIndex
        }
    }

    /// The stream ended: a last line without a newline still counts.
    mutating func finish(at time: Date, into lines: inout [CapturedLine]) {
        if !pending.isEmpty { emitWhole(at: time, into: &lines) }
        droppingRestOfLine = false
    }

    private mutating func emitWhole(at time: Date, into lines: inout [CapturedLine]) {
        if pending.count > maxLineBytes {
            emitTruncated(at: time, into: &lines)
            return
        }
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        lines.append(CapturedLine(stream: stream, text: String(decoding: masker.mask(pending), as: UTF8.self), timestamp: time))
        pending.removeAll(keepingCapacity: true)
    }

    private mutating func emitTruncated(at time: Date, into lines: inout [CapturedLine]) {
        var cut = maxLineBytes
        // Never split a UTF-8 sequence: back up to the start of the character at the cut.
        while cut > 0 && cut < pending.count && pending[cut] & 0xC0 == 0x80 { cut -= 1 }
        let kept = masker.mask(pending, keepingFirst: cut)
        lines.append(CapturedLine(stream: stream, text: String(decoding: kept, as: UTF8.self) + CapturedLine.truncationMark,
                             timestamp: time, isTruncated: true))
        pending.removeAll(keepingCapacity: true)
    }
}
