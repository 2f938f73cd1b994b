import Foundation
import HangarRuntime
import Testing

struct StressTmp {
    @Test(arguments: 0..<40) func leftBehind(_ i: Int) throws {
        let collector = LineCollector()
        let run = try RunProcess.start(shellCommand("sleep 1000 & echo \"background $!\"; exit 0"), sink: collector.sink)
        let outcome = try #require(run.waitUntilExit(timeout: 20))
        #expect(outcome.succeeded)
        let line = try #require(collector.waitForLine { $0.text.hasPrefix("background ") })
        let pid = try #require(pid_t(line.text.dropFirst(11)))
        let alive = !hasExited(pid)
        #expect(!alive, "pid \(pid) duration \(outcome.duration) \(String(describing: try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)))")
    }
}
