import Foundation
import HangarFlights
import HangarViews

/// Log lines on standard output: as the program wrote them, or as JSON lines.
struct LogPrinter {
    let json: Bool
    let timestamps: Bool
    let output = OutputSink(FileHandle.standardOutput)

    /// Flushed at once: someone may be following.
    func print(_ lines: [LogLine]) {
        for line in lines {
            output.write((json ? line.json.text : line.text(timestamps: timestamps)) + "\n")
        }
        output.flush()
    }
}
