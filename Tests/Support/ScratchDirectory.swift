import Foundation

/// A fresh folder for one test's files, removed when the test lets go of it. Tests run in
/// parallel; a folder each keeps their databases, homes and outputs apart.
public final class ScratchDirectory: Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(Self.prefix)\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of `name` inside the folder.
    public func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Writes `contents` to `name` inside the folder and returns its path.
    @discardableResult
    public func file(_ name: String, _ contents: String) throws -> String {
        try Data(contents.utf8).write(to: url.appendingPathComponent(name))
        return path(name)
    }

    static let prefix = "hangar-tests-"
}

/// A scratch folder for the whole test process, for what is too slow to make once per test (a
/// home with Python environments: hundreds of megabytes, minutes to build). It goes when the
/// process exits; one left by a process that was killed goes when the next one makes its own.
public enum ProcessScratch {
    /// A new folder kept until the test process exits.
    public static func make() throws -> ScratchDirectory {
        removeLeftovers()
        let scratch = try ScratchDirectory()
        try Data(String(getpid()).utf8).write(to: scratch.url.appendingPathComponent(marker))
        lock.withLock {
            kept.append(scratch)
            if kept.count == 1 { atexit { ProcessScratch.removeAll() } }
        }
        return scratch
    }

    private static let marker = "process-scratch.pid"
    private static let lock = NSLock()
    nonisolated(unsafe) private static var kept: [ScratchDirectory] = []

    /// Static values are never deinitialized: the folders are removed here, at exit.
    private static func removeAll() {
        let folders = lock.withLock { kept.map(\.url) }
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
    }

    /// Folders of test processes that ended without removing theirs (killed, say).
    private static func removeLeftovers() {
        let temporary = FileManager.default.temporaryDirectory
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for folder in folders where folder.hasPrefix(ScratchDirectory.prefix) {
            let url = temporary.appendingPathComponent(folder)
            guard let text = try? String(contentsOf: url.appendingPathComponent(marker), encoding: .utf8),
                  let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: url)
        }
    }
}

/// A test's own failure: what went wrong, in words.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
