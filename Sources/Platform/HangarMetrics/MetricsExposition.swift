import Metrics
import Prometheus

/// The metrics of one `hangar serve` process in Prometheus' text format: swift-metrics is
/// bootstrapped with a Prometheus factory over this registry, so the scheduler's lag, the
/// database leases' waits and the run collector's counts all land here, and `GET /metrics`
/// renders it.
public final class MetricsExposition: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Durations from a fast flight to a long load; the scheduler's lag from on time to missed.
    static let durationBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
        .seconds(900), .seconds(3600),
    ]

    public init() {
        registry = PrometheusCollectorRegistry()
    }

    /// Makes this the process's swift-metrics backend; swift-metrics allows that once per process.
    public func bootstrap() {
        MetricsSystem.bootstrap(factory)
    }

    /// A swift-metrics factory writing into this registry.
    public var factory: PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        return factory
    }

    /// Everything recorded so far, as `GET /metrics` answers (`text/plain; version=0.0.4`).
    public func render() -> String {
        registry.emitToString()
    }

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
