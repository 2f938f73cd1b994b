import Foundation

/// One Hangar home for the end-to-end Python flight tests of this test process. A fresh home
/// installs uv and builds one Python environment per distinct requirements (tens of seconds for
/// dlt), so tests with the same needs share them here instead of building them again; each
/// test names its flights (and files) uniquely. The folder goes when the test process exits.
enum SharedPythonHome {
    nonisolated(unsafe) private static let made: Result<FlightsTestHome, any Error> = Result {
        removeLeftovers()
        let home = try FlightsTestHome()
        try Data(String(getpid()).utf8).write(to: home.scratch.url.appendingPathComponent(marker))
        folderToRemove = strdup(home.scratch.url.path)
        atexit {
            if let folder = SharedPythonHome.folderToRemove {
                try? FileManager.default.removeItem(atPath: String(cString: folder))
            }
        }
        return home
    }

    nonisolated(unsafe) private static var folderToRemove: UnsafeMutablePointer<CChar>?

    static func home() throws -> FlightsTestHome {
        try made.get()
    }

    private static let marker = "shared-python-home.pid"

    /// Shared homes of test processes that ended without removing theirs (killed, say): each
    /// holds hundreds of megabytes of environments.
    private static func removeLeftovers() {
        let temporary = FileManager.default.temporaryDirectory
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for folder in folders where folder.hasPrefix("hangar-tests-") {
            let url = temporary.appendingPathComponent(folder)
            guard let text = try? String(contentsOf: url.appendingPathComponent(marker), encoding: .utf8),
                  let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: url)
        }
    }
}

/// A named pipe in a test's scratch folder. A flight blocks opening or reading it until the
/// test opens the other end, so a test decides when a flight moves on, with no timers.
enum PythonFlightGate {
    static func make(_ home: FlightsTestHome, _ name: String) throws -> String {
        let path = home.scratch.path(name)
        guard mkfifo(path, 0o600) == 0 else {
            throw HangarProcess.Failure(description: "mkfifo \(path): \(String(cString: strerror(errno)))")
        }
        return path
    }

    /// Opens the FIFO for writing and closes it: a flight reading it sees end of file.
    static func release(_ path: String) throws {
        try FileHandle(forWritingTo: URL(fileURLWithPath: path)).close()
    }
}
