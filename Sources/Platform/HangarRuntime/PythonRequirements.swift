/// A flight's `requirements_txt` reduced to what decides the installed packages, so versions
/// whose requirements differ only in comments, blank lines, spacing at line ends or line order
/// share one environment.
public struct PythonRequirements: Sendable, Equatable {
    /// The original text, written to the environment's requirements file as given.
    public let text: String
    /// One requirement or option per line, trimmed, without comments, deduplicated and sorted.
    public let normalized: [String]

    public init(_ text: String) {
        self.text = text
        var lines = Set<String>()
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var line = Substring(rawLine)
            // pip's rule: a comment starts at a # at the start of a line or after whitespace
            // (a # inside a URL fragment stays).
            if line.hasPrefix("#") {
                continue
            }
            if let comment = line.firstRange(of: " #") ?? line.firstRange(of: "\t#") { line = line[..<comment.lowerBound] }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { lines.insert(trimmed) }
        }
        normalized = lines.sorted()
    }

    public var isEmpty: Bool { normalized.isEmpty }

    /// The environment's identity: these requirements under this exact Python version.
    public func key(pythonVersion: String) -> String {
        SHA256.hex((["python \(pythonVersion)"] + normalized).joined(separator: "\n"))
    }
}
