import Foundation

/// Named places where the engine can be made to die on purpose, for the crash tests: setting
/// `HANGAR_CRASH_AT=<name>` kills the process with SIGKILL when it gets there, as a power cut or
/// an OOM kill would. Nothing else reads the variable.
enum CrashPoint: String {
    case duringExtract = "extract"
    case duringNormalize = "normalize"
    case betweenJobs = "between-jobs"
    case insideLoadTransaction = "load-transaction"
    case afterCommit = "after-commit"

    private static let armed = ProcessInfo.processInfo.environment["HANGAR_CRASH_AT"]

    func reached() {
        guard Self.armed == rawValue else { return }
        kill(getpid(), SIGKILL)
    }
}
