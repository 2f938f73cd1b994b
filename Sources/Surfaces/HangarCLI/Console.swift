import Foundation
import HangarRuntime
import HangarViews

/// Output of the flights commands, written straight to the file descriptors (not through
/// stdio's buffer), so results, streamed log lines and notes appear in the order they happened.
enum Console {
    /// Results: tables, details, JSON.
    static func out(_ text: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }

    /// A JSON document on its own.
    static func out(_ document: JSONValue) {
        out(document.pretty + "\n")
    }

    /// Notes for the person at the terminal (progress, hints), kept off standard output so
    /// scripts reading it see results only.
    static func note(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }

    /// A warning on standard error for each requirement pinned to a yanked release.
    static func warnAboutYankedReleases(_ requirements: String?) {
        for yanked in YankedReleases.check(requirements) { note("warning: \(yanked.warning)") }
    }
}
