import Foundation
import HangarAccount
#if canImport(Glibc)
import Glibc
#endif

/// The API's bearer token: `<home>/server/token`, readable by its owner only (the folder too),
/// made on the first `hangar serve` (or `hangar token show`) and replaced by `hangar token
/// rotate`. A running server re-reads the file when it changes, so a rotation takes effect at the
/// next request without a restart.
public enum ServerToken {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public static func folder(in home: HangarHome) -> URL {
        home.root.appendingPathComponent("server", isDirectory: true)
    }

    public static func file(in home: HangarHome) -> URL {
        folder(in: home).appendingPathComponent("token")
    }

    /// The token, made now when there is none; `created` says which.
    public static func ensure(in home: HangarHome) throws -> (token: String, created: Bool) {
        if let token = try read(in: home) { return (token, false) }
        // Two processes starting at once must not each write a different token: the one that
        // creates the file exclusively wins, the other reads what it wrote.
        let token = generate()
        try makeFolder(in: home)
        let path = file(in: home).path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            guard errno == EEXIST else {
                throw Failure(description: "cannot create the API token file \(path): \(String(cString: strerror(errno)))")
            }
            if let written = try readWaitingForWriter(in: home) { return (written, false) }
            // An empty file (emptied by hand, or a writer that died): replace it with a token.
            return (try rotate(in: home), true)
        }
        defer { close(descriptor) }
        try write(token + "\n", to: descriptor, path: path)
        return (token, true)
    }

    /// The token, or nil when no file (or an empty one) exists. A file others can read is
    /// narrowed to its owner first.
    public static func read(in home: HangarHome) throws -> String? {
        let url = file(in: home)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        narrowPermissions(url.path)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw Failure(description: "cannot read the API token file \(url.path): \(error.localizedDescription)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    /// Replaces the token: written beside the file and renamed over it, so a reader sees the old
    /// token or the new one, never half of one.
    public static func rotate(in home: HangarHome) throws -> String {
        let token = generate()
        try makeFolder(in: home)
        let target = file(in: home).path
        let temporary = target + ".\(getpid()).new"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Failure(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        do {
            try write(token + "\n", to: descriptor, path: temporary)
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: "cannot replace \(target): \(reason)")
        }
        return token
    }

    /// 32 random bytes as 64 hex digits, from the system's cryptographic generator.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }

    private static func makeFolder(in home: HangarHome) throws {
        let url = folder(in: home)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(description: "cannot create \(url.path): \(error.localizedDescription)")
        }
        // An existing folder keeps its mode through createDirectory; narrow it as well.
        chmod(url.path, 0o700)
    }

    private static func narrowPermissions(_ path: String) {
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & 0o077 != 0 { chmod(path, 0o600) }
    }

    private static func write(_ text: String, to descriptor: Int32, path: String) throws {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw Failure(description: "cannot write the API token file \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The winner of a creation race writes its token right after creating the file.
    private static func readWaitingForWriter(in home: HangarHome) throws -> String? {
        let deadline = Date().addingTimeInterval(2)
        while Date() < deadline {
            if let token = try read(in: home) { return token }
            usleep(10_000)
        }
        return try read(in: home)
    }
}
