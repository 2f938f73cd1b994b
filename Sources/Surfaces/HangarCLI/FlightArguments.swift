import ArgumentParser
import HangarFlights

// Values the platform parses itself (case-insensitively, with its own messages) are read
// through its parsers, so the CLI accepts exactly what the SQL surface accepts.
extension FlightRuntime: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension CatchUpPolicy: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension ScheduleStatus: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
    public static var allValueStrings: [String] { allCases.map { $0.rawValue.lowercased() } }
}

extension FlightRuntime {
    /// What `create` assumes without --runtime: the file's extension says Swift, else Python,
    /// the hosted service's default.
    static func inferred(fromSourcePath path: String) -> FlightRuntime {
        path.lowercased().hasSuffix(".swift") ? .swift : .python
    }
}
