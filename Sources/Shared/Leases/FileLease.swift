import CivilCalendar
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive inter-process lease on a file: an advisory `flock` on it, with the holder written
/// into it as JSON (`pid`, `purpose`, `since`) so a waiting process can say whom it waits for.
/// The kernel drops it when its holder exits or is killed, so a crash never leaves anything
/// locked. Every lease of Hangar is one: a database's, a pipeline's, a Python environment's.
///
/// Each holder opens the file itself, so the lease excludes threads of one process as it
/// excludes processes.
public final class FileLease {
    public let file: URL
    private var descriptor: Int32

    private init(file: URL, descriptor: Int32) {
        self.file = file
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Waits for the lease, up to `timeout` seconds (nil: as long as it takes). `waiting` is
    /// called once when it is busy, with its holder (nil when the holder has not written itself).
    /// `stopWaiting` is asked whenever the lease is found busy, before `waiting`: true gives up
    /// at once (a person pressed Ctrl-C, or the caller would rather not wait at all).
    public static func acquire(_ file: URL, as holder: LeaseHolder, timeout: Double? = nil,
                               waiting: (LeaseHolder?) -> Void = { _ in },
                               stopWaiting: () -> Bool = { false }) throws(LeaseError) -> FileLease {
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw LeaseError("cannot create the folder of \(file.path): \(error.localizedDescription)")
        }
        let descriptor = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw LeaseError("cannot open the lease file \(file.path): \(String(cString: strerror(errno)))")
        }
        let deadline = timeout.map { ContinuousClock.now + .milliseconds(Int($0 * 1000)) }
        var announced = false
        var pause = Duration.milliseconds(2)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(descriptor)
                throw LeaseError("cannot lock \(file.path): \(String(cString: strerror(errno)))")
            }
            if stopWaiting() {
                close(descriptor)
                let who = currentHolder(of: file).map { "held by \($0)" } ?? "held by another process"
                throw LeaseError("stopped waiting for \(file.deletingPathExtension().lastPathComponent): \(who)", busy: true)
            }
            if !announced {
                waiting(currentHolder(of: file))
                announced = true
            }
            if let deadline, ContinuousClock.now >= deadline {
                close(descriptor)
                let who = currentHolder(of: file).map { "held by \($0)" } ?? "held by another process"
                throw LeaseError("\(file.deletingPathExtension().lastPathComponent) is busy: \(who); waited \(format(timeout ?? 0)) s. Try again when it is done, or wait longer",
                                 busy: true)
            }
            // Waiting on another process's lock: polling is the portable way, backing off to 50 ms.
            Thread.sleep(forTimeInterval: Double(pause.components.attoseconds) / 1e18)
            pause = min(pause * 2, .milliseconds(50))
        }
        let lease = FileLease(file: file, descriptor: descriptor)
        lease.write(holder)
        return lease
    }

    /// Runs `body` holding the lease, releasing it afterwards however `body` ends.
    public static func with<T>(_ file: URL, as holder: LeaseHolder, timeout: Double? = nil,
                               waiting: (LeaseHolder?) -> Void = { _ in }, _ body: () throws -> T) throws -> T {
        let lease = try acquire(file, as: holder, timeout: timeout, waiting: waiting)
        defer { lease.release() }
        return try body()
    }

    /// Who holds the lease of `file` now, as it wrote itself; nil when nobody wrote.
    public static func currentHolder(of file: URL) -> LeaseHolder? {
        guard let data = try? Data(contentsOf: file), !data.isEmpty else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(LeaseHolder.self, from: data)
    }

    public func release() {
        guard descriptor >= 0 else { return }
        // The holder's record goes first, so nobody reads a stale holder once the lock is free.
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    private func write(_ holder: LeaseHolder) {
        let encoder = JSONEncoder()
        // What `.iso8601` writes, without loading ICU's time zones, which every run would pay for.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(CivilCalendar.iso8601(wholeSecondsOf: date.timeIntervalSince1970))
        }
        guard let data = try? encoder.encode(holder) else { return }
        _ = ftruncate(descriptor, 0)
        data.withUnsafeBytes { _ = pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}

/// A lease that could not be had: the file could not be opened or locked, or (`busy`) its holder
/// kept it past the time allowed.
public struct LeaseError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let busy: Bool

    public init(_ message: String, busy: Bool = false) {
        self.message = message
        self.busy = busy
    }

    public var description: String { message }
}
