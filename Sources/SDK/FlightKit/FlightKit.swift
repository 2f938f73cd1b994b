@_exported import DuckDB
@_exported import HangarAccount

/// The SDK a Swift flight imports: its run context (`FlightContext.current`), the account's
/// databases under their leases, the ingest engine (re-exported) loading into them, and a REST
/// source kit (`RESTClient`, paginators, retries) to fetch what they load.
public enum FlightKit {
    /// Bumped when the SDK's interface changes, so cached flight builds are rebuilt.
    public static let version = "2"
}
