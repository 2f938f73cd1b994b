import Foundation

// TEMPORARY: phase timings on stderr when HANGAR_TRACE=1.
enum Trace {
    static let on = ProcessInfo.processInfo.environment["HANGAR_TRACE"] == "1"
    nonisolated(unsafe) static var last = Date()
    static func mark(_ what: @autoclosure () -> String) {
        guard on else { return }
        let now = Date()
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let hwm = status.split(separator: "\n").first { $0.hasPrefix("VmHWM") } ?? ""
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS") } ?? ""
        FileHandle.standardError.write("trace \(String(format: "%.3f", now.timeIntervalSince(last))) \(what()) [\(hwm) \(rss)]\n".data(using: .utf8)!)
        last = now
    }
}
