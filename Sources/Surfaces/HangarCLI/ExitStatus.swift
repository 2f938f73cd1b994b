import ArgumentParser
import HangarFlights

/// The exit codes of the flights commands, which scripts can rely on. Usage errors (an unknown
/// flag, a missing argument) are ArgumentParser's: 64, EX_USAGE from sysexits.h.
enum ExitStatus: Int32 {
    /// Done; for `run --wait`/`--follow`, the run SUCCEEDED.
    case success = 0
    /// The run FAILED (`run --wait`/`--follow`), or something unexpected went wrong (the control
    /// store is unreadable, a supervisor could not be started).
    case failure = 1
    /// The flight, version, run or secret does not exist.
    case notFound = 3
    /// A value was refused: a bad cron, name or config key, an unreadable --source file.
    case invalidInput = 4
    /// The request clashes with the current state: a name already taken, a secret that exists,
    /// a run that already finished.
    case conflict = 5
    /// The run was CANCELLED (`run --wait`/`--follow`).
    case cancelled = 6

    var exitCode: ExitCode { ExitCode(rawValue) }

    init(_ kind: FlightsError.Kind) {
        self = switch kind {
        case .notFound: .notFound
        case .invalidArgument: .invalidInput
        case .conflict: .conflict
        case .storage: .failure
        }
    }

    /// What `run --wait` and `run --follow` exit with once the run has finished.
    init(outcomeOf run: FlightRun) {
        self = switch run.status {
        case .succeeded: .success
        case .cancelled: .cancelled
        case .failed, .pending, .running: .failure
        }
    }

    /// Appended to every flights command's help.
    static let help = """
        Exit status: 0 ok (run --wait/--follow: the run SUCCEEDED); 1 the run FAILED, or an \
        unexpected error; 3 flight, version, run or secret not found; 4 invalid input; 5 conflict \
        (name taken, secret exists, run already finished); 6 the run was CANCELLED; 64 usage error.
        """
}
