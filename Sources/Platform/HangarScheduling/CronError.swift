/// Why a cron expression was rejected: `message` names the field, the offending text and the rule,
/// e.g. `minute field "61": 61 is out of range 0-59`.
public struct CronError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
