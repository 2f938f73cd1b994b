/// Whether a flight's schedule fires. A disabled schedule keeps its expression; the summary row
/// shows NULL for flights without a schedule.
public enum ScheduleStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case active = "ACTIVE"
    case disabled = "DISABLED"
}

/// What the scheduler does with fires it missed while no scheduler was running.
public enum CatchUpPolicy: String, Sendable, Hashable, CaseIterable, Codable {
    /// One run for the most recent missed fire (the default).
    case latest
    /// No run for missed fires; the next fire on time runs as usual.
    case none
    /// One run per missed fire, oldest first.
    case all

    public init(parsing text: String) throws(FlightsError) {
        guard let policy = CatchUpPolicy(rawValue: text.lowercased()) else {
            throw FlightsError.invalid("catch_up", "catch_up must be 'latest', 'none' or 'all', not \"\(text)\"")
        }
        self = policy
    }
}
