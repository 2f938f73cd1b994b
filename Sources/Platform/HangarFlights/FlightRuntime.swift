/// The language a flight is written in; `python` is the default, as on the hosted service.
public enum FlightRuntime: String, Sendable, Hashable, CaseIterable, Codable {
    case python
    case swift

    /// Reads `python` or `swift` in any case; anything else is an invalid `runtime`.
    public init(parsing text: String) throws(FlightsError) {
        guard let runtime = FlightRuntime(rawValue: text.lowercased()) else {
            throw FlightsError.invalid("runtime", "runtime must be 'python' or 'swift', not \"\(text)\"")
        }
        self = runtime
    }
}
