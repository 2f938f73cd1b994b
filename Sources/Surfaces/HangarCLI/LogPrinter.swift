import Foundation
import HangarFlights

/// Log lines on standard output: as the program wrote them, or as JSON lines.
struct LogPrinter {
    let json: Bool
    let timestamps: Bool
    let output = OutputSink(FileHandle.standardOutput)

    /// Flushed at once: someone may be following.
    func print(_ lines: [LogLine]) {
        for line in lines {
            output.write((json ? line.json.compact : line.text(timestamps: timestamps)) + "\n")
        }
        output.flush()
    }
}
