import Foundation

/// A new file written through a byte buffer: encoders append to `bytes`, and `flushIfFull()`
/// hands the buffer to the file in large writes.
final class BufferedFileOutput {
    let url: URL
    /// Bytes not yet written to the file.
    var bytes: [UInt8] = []
    private let handle: FileHandle
    private var flushedCount = 0
    private static let flushThreshold = 1 << 20

    /// Creates the file; it must not exist.
    init(creating url: URL) throws {
        self.url = url
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: url) else {
            throw IngestError(.loaderFile, message: "could not create the loader file \(url.path)")
        }
        self.handle = handle
        bytes.reserveCapacity(Self.flushThreshold + (1 << 16))
    }

    /// Bytes written so far, buffered ones included.
    var count: Int { flushedCount + bytes.count }

    func flushIfFull() throws {
        if bytes.count >= Self.flushThreshold { try flush() }
    }

    /// Writes what is buffered and closes the file; returns its size.
    func close() throws -> Int {
        try flush()
        do {
            try handle.close()
        } catch {
            throw IngestError(.loaderFile, message: "could not close \(url.path): \(error.localizedDescription)")
        }
        return flushedCount
    }

    private func flush() throws {
        guard !bytes.isEmpty else { return }
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw IngestError(.loaderFile, message: "could not write \(url.path): \(error.localizedDescription)")
        }
        flushedCount += bytes.count
        bytes.removeAll(keepingCapacity: true)
    }
}
