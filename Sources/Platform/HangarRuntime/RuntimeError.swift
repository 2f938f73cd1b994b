import Foundation

/// A run could not be prepared or started: what went wrong and what to do, plus the tool's own
/// lines (pip's or uv's errors) when a tool failed.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let kind: Kind
    public let message: String
    /// The failing tool's last error lines, verbatim (already in the run's log as well).
    public let toolOutput: [String]

    init(_ kind: Kind, _ message: String, toolOutput: [String] = []) {
        self.kind = kind
        self.message = message
        self.toolOutput = toolOutput
    }

    public var description: String {
        toolOutput.isEmpty ? message : ([message] + toolOutput.map { "  \($0)" }).joined(separator: "\n")
    }

    /// The category of a failure, for callers that record a failure reason; compare with the
    /// static members (new categories may be added).
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let code: Code
        private init(_ code: Code) { self.code = code }
        public var description: String { code.rawValue }

        /// The program could not be started (not found, not executable, bad working directory).
        public static let spawnFailed = Kind(.spawnFailed)
        /// A variable name or value cannot be put in a process environment (`=` or NUL).
        public static let invalidEnvironment = Kind(.invalidEnvironment)
        /// No usable Python interpreter, or `venv` does not work.
        public static let pythonUnavailable = Kind(.pythonUnavailable)
        /// Installing the requirements failed; `toolOutput` holds pip's or uv's error lines.
        public static let installFailed = Kind(.installFailed)
        /// Reading or writing Hangar's own files failed (permissions, disk full).
        public static let storage = Kind(.storage)
        /// Compiling a Swift flight failed; `toolOutput` holds the compiler's messages.
        public static let buildFailed = Kind(.buildFailed)

        private enum Code: String {
            case spawnFailed = "spawn failed"
            case invalidEnvironment = "invalid environment"
            case pythonUnavailable = "python unavailable"
            case installFailed = "install failed"
            case storage
            case buildFailed = "build failed"
        }
    }
}

func systemErrorText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
