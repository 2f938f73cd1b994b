import Foundation
import Testing

/// `make test-fast` runs the unit test targets with `HANGAR_TESTS=fast`; `make test` runs all.
public enum TestSubset {
    /// Whether this run is `make test-fast`.
    public static var isFast: Bool { ProcessInfo.processInfo.environment["HANGAR_TESTS"] == "fast" }
}

extension Trait where Self == ConditionTrait {
    /// Runs in `make test`, skipped by `make test-fast`: the test starts `hangar serve`, builds
    /// Python environments, kills real processes, or spends many seconds of CPU.
    public static var fullRunOnly: Self {
        .disabled(if: TestSubset.isFast, "in make test only (make test-fast leaves it out)")
    }
}
