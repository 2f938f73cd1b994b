@_exported import DuckDB
@_exported import HangarAccount

/// The SDK a Swift flight imports: its run context (`FlightContext.current`), the account's
/// databases under their leases, and the ingest engine (re-exported) loading into them.
public enum FlightKit {
    /// Bumped when the SDK's interface changes, so cached flight builds are rebuilt.
    public static let version = "1"
}
