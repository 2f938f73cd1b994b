import Foundation
import Synchronization

/// Folders of this process's own under the system's temporary folder (DuckDB's spill folders for
/// in-memory databases), removed when the process exits normally: DuckDB deletes its spill files
/// only when a database is closed, and a command's databases may live until the process ends.
enum ProcessTemporaryFolders {
    private static let made = Mutex<[String]>([])
    private static let registerCleanup: Void = {
        atexit {
            for folder in ProcessTemporaryFolders.made.withLock({ $0 }) {
                try? FileManager.default.removeItem(atPath: folder)
            }
        }
    }()

    /// A new folder path (DuckDB creates it when it first spills), removed at exit.
    static func make(_ prefix: String) -> String {
        _ = registerCleanup
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(getpid())-\(UUID().uuidString.prefix(8))").path
        made.withLock { $0.append(folder) }
        return folder
    }
}
