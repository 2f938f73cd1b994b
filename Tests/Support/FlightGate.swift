import Foundation

/// A named pipe a flight blocks on until the test opens the other end: the test decides when
/// the flight moves on, with no timers.
public enum FlightGate {
    /// A new FIFO `name` in `scratch`; returns its path.
    public static func make(in scratch: ScratchDirectory, _ name: String) throws -> String {
        let path = scratch.path(name)
        guard mkfifo(path, 0o600) == 0 else { throw TestFailure("mkfifo \(path): \(String(cString: strerror(errno)))") }
        return path
    }

    /// Opens the FIFO for writing and closes it: the flight reading it sees end of file.
    public static func release(_ path: String) throws {
        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).close()
    }

    /// A Python flight that prints `before`, waits for the gate, then prints `after`.
    public static func source(gate: String, before: String = "one", after: String = "two") -> String {
        "print(\(pythonString(before)), flush=True)\nopen(\(pythonString(gate))).read()\nprint(\(pythonString(after)), flush=True)\n"
    }

    /// `text` as a Python string literal.
    static func pythonString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
