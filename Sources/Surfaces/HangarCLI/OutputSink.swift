import Foundation

/// Buffered text output to a file handle. Results can run to millions of lines, and
/// `FileHandle` makes one system call per write; gathering output into large writes keeps
/// printing from dominating the run time.
///
/// Nothing is written until `flush()` or the buffer fills, so callers flush before waiting for
/// input (a prompt must be visible) and before reporting an error on the other stream (so
/// output and errors appear in the order they happened).
final class OutputSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16

    init(_ handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(capacity)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        // A closed pipe (`hangar sql … | head`) is not worth a second error: the reader is gone.
        try? handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
