import Foundation

/// A stand-in for a flight holding a database's lease: a child process that takes the same
/// `flock` Hangar takes, writes itself as holder the same way, and lets go when its standard
/// input closes.
public final class LeaseHolderProcess {
    public let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    /// Holds the lease of the database file `database` (its lease file is beside it).
    public convenience init(_ database: String, purpose: String) throws {
        try self.init(leaseFile: database + ".lease", purpose: purpose)
    }

    public init(leaseFile: String, purpose: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import fcntl, json, os, sys, datetime
            f = open(sys.argv[1], "a+")
            fcntl.flock(f, fcntl.LOCK_EX)
            f.truncate(0)
            f.write(json.dumps({"pid": os.getpid(), "purpose": sys.argv[2], "since": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}))
            f.flush()
            print("held", flush=True)
            sys.stdin.read()
            """, leaseFile, purpose]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The child says when it holds the lease: tests wait for that line, not a timer.
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("held") else { throw TestFailure("the lease holder did not start: \(line)") }
    }

    /// Lets go of the lease and waits for the child to end.
    public func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
