/// Why a control-plane operation was refused or failed. `message` says what was wrong and what
/// to do, naming the parameter at fault; surfaces render it as they like (the SQL functions as
/// `Invalid Input Error: <message>`). Secret values never appear in a message.
public struct FlightsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is, for surfaces that map errors to exit codes or HTTP statuses.
    public enum Kind: Sendable, Hashable {
        /// The flight, version, run or secret does not exist.
        case notFound
        /// A parameter has a value the platform does not accept; ``FlightsError/parameter`` names it.
        case invalidArgument
        /// The request clashes with the current state: a name already taken, a run already
        /// finished, a scheduled fire already recorded, a secret that exists.
        case conflict
        /// The control store itself failed (disk full, unreadable file, corrupt database).
        case storage
    }

    /// The precise cause; private so that new causes never break callers, who switch on `kind`.
    enum Code: Sendable, Equatable {
        case flightNotFound
        case versionNotFound
        case runNotFound
        case secretNotFound
        case invalidArgument(parameter: String)
        case nameTaken
        case secretExists
        case runFinished
        case runClaimed
        case scheduledFireRecorded
        case storage
    }

    let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var kind: Kind {
        switch code {
        case .flightNotFound, .versionNotFound, .runNotFound, .secretNotFound: .notFound
        case .invalidArgument: .invalidArgument
        case .nameTaken, .secretExists, .runFinished, .runClaimed, .scheduledFireRecorded: .conflict
        case .storage: .storage
        }
    }

    /// The parameter at fault, by its SQL name (`name`, `source_code`, `config`, `"LIMIT"` …),
    /// for invalid arguments; nil otherwise.
    public var parameter: String? {
        if case .invalidArgument(let parameter) = code { return parameter }
        return nil
    }

    public var description: String { message }

    /// The store failed (unreachable, refused a statement); for stores outside this module.
    public static func storage(_ message: String) -> FlightsError {
        FlightsError(.storage, message)
    }

    /// The request clashes with the coordination state (a worker declared lost, say).
    public static func conflict(_ message: String) -> FlightsError {
        FlightsError(.runClaimed, message)
    }

    /// A flight, run or worker does not exist; for stores outside this module.
    public static func runNotFound(_ message: String) -> FlightsError {
        FlightsError(.runNotFound, message)
    }

    static func invalid(_ parameter: String, _ message: String) -> FlightsError {
        FlightsError(.invalidArgument(parameter: parameter), message)
    }
}
