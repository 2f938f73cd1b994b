import DuckDB
import Foundation

/// DuckDB's memory limit while a package loads: low by default, so that a load adds little to
/// the process's memory, and raised when DuckDB runs out of it.
///
/// DuckDB keeps blocks it read or wrote cached up to its limit and spills what is larger to
/// disk, so most loads run as fast under a small limit as under a large one. A few operations
/// need more than a small limit holds at once; DuckDB then fails the statement with an
/// out-of-memory error, the transaction rolls back, and the loader tries the package again at the
/// next step up, four times the last, up to DuckDB's own default of 80% of the machine's memory.
struct DestinationMemoryLimit: Equatable {
    /// The limit as DuckDB reads it ("64MB", "1GB").
    let setting: String
    /// The same in bytes; nil when Hangar cannot read it, and then it is never raised.
    let bytes: Int?

    /// DuckDB's default limit, where raising stops.
    static var ceiling: Int { Int(Double(ProcessInfo.processInfo.physicalMemory) * 0.8) }

    init(_ setting: String) {
        self.setting = setting
        bytes = Self.bytes(in: setting)
    }

    private init(bytes: Int) {
        let megabytes = max(1, bytes >> 20)
        setting = "\(megabytes)MiB"
        self.bytes = megabytes << 20
    }

    /// The next limit after DuckDB ran out of memory at this one; nil at the ceiling or when
    /// this limit is not understood.
    func raised() -> DestinationMemoryLimit? {
        guard let bytes else { return nil }
        // Whole MiB, rounded down: the last step may land just below the ceiling, and must not repeat.
        let next = DestinationMemoryLimit(bytes: min(Self.ceiling, bytes.multipliedReportingOverflow(by: 4).partialValue))
        return next.bytes! > bytes ? next : nil
    }

    /// Whether DuckDB failed for want of memory. A COMMIT that runs out reports a transaction
    /// error ("Failed to commit: failed to pin block …") rather than an out-of-memory one.
    static func isOutOfMemory(_ error: DuckDBError) -> Bool {
        error.kind == .outOfMemory || error.message.contains("Out of Memory") || error.message.contains("failed to pin block")
    }

    /// A DuckDB size ("64MB", "1.5 GiB", "512kb", "1000000"): decimal units count in thousands,
    /// binary ones (KiB, MiB, …) in 1024s, as DuckDB reads them.
    static func bytes(in text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(number), value >= 0 else { return nil }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        let scale: Double
        switch unit {
        case "", "b", "byte", "bytes": scale = 1
        case "kb", "k": scale = 1e3
        case "mb", "m": scale = 1e6
        case "gb", "g": scale = 1e9
        case "tb", "t": scale = 1e12
        case "kib": scale = 1024
        case "mib": scale = 1_048_576
        case "gib": scale = 1_073_741_824
        case "tib": scale = 1_099_511_627_776
        default: return nil
        }
        let bytes = value * scale
        return bytes < Double(Int.max) ? Int(bytes) : nil
    }
}
