import Foundation

public enum LogStream: String, Sendable, Hashable, CaseIterable, Codable {
    case stdout
    case stderr
}

public enum LogOrder: String, Sendable, Hashable, CaseIterable {
    case ascending = "asc"
    case descending = "desc"

    /// Reads `asc` or `desc` in any case; anything else is an invalid `"ORDER"`.
    public init(parsing text: String) throws(FlightsError) {
        guard let order = LogOrder(rawValue: text.lowercased()) else {
            throw FlightsError.invalid("ORDER", "\"ORDER\" must be 'asc' or 'desc', not \"\(text)\"")
        }
        self = order
    }
}

/// One captured line of a run's output; stdout and stderr share one numbering, in capture order.
public struct LogLine: Sendable, Hashable {
    /// 1-based.
    public let lineNumber: Int
    public let reportedAt: Date
    public let stream: LogStream
    public let line: String
}

/// A line a supervisor captured, before it is numbered.
public struct NewLogLine: Sendable, Hashable {
    public let stream: LogStream
    public let line: String
    public let reportedAt: Date

    public init(_ stream: LogStream, _ line: String, at reportedAt: Date = Date()) {
        self.stream = stream
        self.line = line
        self.reportedAt = reportedAt
    }
}
