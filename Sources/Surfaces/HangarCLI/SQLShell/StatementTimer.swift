import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `.timer on`: a statement's wall-clock time and the process's CPU time spent meanwhile, in
/// the words of DuckDB's CLI.
struct StatementTimer {
    private let started = ContinuousClock.now
    private let usageBefore = Self.usage()

    func report() -> String {
        let real = ContinuousClock.now - started
        let usage = Self.usage()
        return String(format: "Run Time (s): real %.3f user %.6f sys %.6f\n",
                      Double(real.components.seconds) + Double(real.components.attoseconds) / 1e18,
                      usage.user - usageBefore.user, usage.system - usageBefore.system)
    }

    private static func usage() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return (seconds(usage.ru_utime), seconds(usage.ru_stime))
    }
}
