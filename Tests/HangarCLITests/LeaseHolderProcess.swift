import Foundation

/// A stand-in for a flight holding a database's lease: a child process that takes the same
/// `flock` Hangar takes, writes itself as holder, and lets go when its standard input closes.
final class LeaseHolderProcess {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(_ database: String, purpose: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import fcntl, json, os, sys
            f = open(sys.argv[1], "a+")
            fcntl.flock(f, fcntl.LOCK_EX)
            f.truncate(0)
            f.write(json.dumps({"pid": os.getpid(), "purpose": sys.argv[2], "since": "2026-11-25T14:00:00Z"}))
            f.flush()
            print("held", flush=True)
            sys.stdin.read()
            """, database + ".lease", purpose]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The child says when it holds the lease: tests wait for that line, not a timer.
        guard String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("held") else {
            throw HangarProcess.Failure(description: "the lease holder did not start")
        }
    }

    func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
