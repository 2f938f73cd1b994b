import Foundation

/// A secret as listings show it: its name and its param keys, never its values.
public struct SecretSummary: Sendable, Hashable {
    /// Lower-cased.
    public let name: String
    /// Sorted.
    public let keys: [String]
    public let createdAt: Date
    public let updatedAt: Date
}

/// A secret with its values, for injecting into a run and for masking them in its logs. Its
/// descriptions and reflection hide the values, so printing or dumping one leaks nothing.
public struct RevealedSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let name: String
    public let params: [String: String]

    public init(name: String, params: [String: String]) {
        self.name = name
        self.params = params
    }

    public var description: String { "secret \(name) (\(params.keys.sorted().joined(separator: ", ")): values hidden)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["name": name, "keys": params.keys.sorted()]) }
}
