import Foundation

/// The source checkout the tests were built from, for the files tests read from it (scripts,
/// examples, fixtures shared between targets, the dashboard) — never the build folder, whose
/// leftovers from earlier layouts would let a test pass on a stale copy.
public enum Checkout {
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func file(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }
}
