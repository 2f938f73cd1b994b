import Foundation
import HangarFlights
import Logging
import Metrics
import ServiceLifecycle

/// Counts what happens to runs, as a service of `hangar serve`. Runs are started and finished by
/// other processes (CLI commands, SQL sessions, supervisors), so the collector watches the
/// control store rather than the events: each look counts runs created and ended since the
/// previous one, records durations and rows loaded, and sets the number of active runs.
///
/// Metrics (swift-metrics; Prometheus names when `MetricsExposition` is the backend):
/// `hangar_runs_started_total{trigger}`, `hangar_runs_finished_total{status}`,
/// `hangar_run_duration_seconds{status}` (a histogram), `hangar_rows_loaded_total`,
/// `hangar_active_runs`. Counters start at zero when the service starts, as Prometheus expects.
public final class RunMetricsCollector: Service, Sendable {
    private let flights: Flights
    private let interval: Duration
    private let logger: Logger
    private let tracker: RunActivityTracker

    /// `factory` is where the metrics go: the process's swift-metrics backend unless given.
    public init(flights: Flights, interval: Duration = .seconds(2), logger: Logger = Logger(label: "hangar.metrics"),
                since: Date = Date(), factory: (any MetricsFactory)? = nil) {
        self.flights = flights
        self.interval = interval
        self.logger = logger
        tracker = RunActivityTracker(since: since, factory: factory ?? MetricsSystem.factory)
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.collect()
                try await Task.sleep(for: self.interval)
            }
        }
    }

    /// One look at the store; a failure is logged and the next look tries again.
    public func collect() {
        do {
            try tracker.observe(flights)
        } catch {
            logger.warning("could not read runs for the metrics: \(error)")
        }
    }
}

/// Which runs were counted already. Runs are looked up again a little before the last one seen,
/// since a run's timestamps come from the clock of the process that wrote them and may commit
/// late; the ids seen in that overlap keep anything from counting twice.
final class RunActivityTracker: @unchecked Sendable {
    static let overlap: TimeInterval = 120

    private let lock = NSLock()
    private let factory: any MetricsFactory
    private let since: Date
    private var createdWatermark: Date
    private var endedWatermark: Date
    private var countedStarts: [UUID: Date] = [:]
    private var countedEnds: [UUID: Date] = [:]

    init(since: Date, factory: any MetricsFactory) {
        self.since = since
        self.factory = factory
        createdWatermark = since
        endedWatermark = since
    }

    func observe(_ flights: Flights) throws {
        try lock.withLock {
            // Read everything, then publish the gauge before the counters: a scrape between the
            // two never sees a run counted as finished while still counted as active.
            let created = try flights.runsCreated(since: createdWatermark.addingTimeInterval(-Self.overlap))
            let ended = try flights.runsEnded(since: endedWatermark.addingTimeInterval(-Self.overlap))
            let active = try flights.runsInProgress().count
            Gauge(label: "hangar_active_runs", factory: factory).record(active)
            for run in created
            where run.createdAt >= since && countedStarts[run.id] == nil {
                countedStarts[run.id] = run.createdAt
                createdWatermark = max(createdWatermark, run.createdAt)
                Counter(label: "hangar_runs_started_total", dimensions: [("trigger", run.isScheduled ? "scheduled" : "manual")],
                        factory: factory).increment()
            }
            for run in ended {
                guard let ended = run.endedAt, ended >= since, countedEnds[run.id] == nil else { continue }
                countedEnds[run.id] = ended
                endedWatermark = max(endedWatermark, ended)
                let status = run.status.rawValue.lowercased()
                Counter(label: "hangar_runs_finished_total", dimensions: [("status", status)], factory: factory).increment()
                if let started = run.startedAt {
                    Metrics.Timer(label: "hangar_run_duration_seconds", dimensions: [("status", status)], factory: factory)
                        .recordNanoseconds(Int64(max(0, ended.timeIntervalSince(started)) * 1e9))
                }
                if let rows = run.loadSummary?.rowsLoaded, rows > 0 {
                    Counter(label: "hangar_rows_loaded_total", factory: factory).increment(by: rows)
                }
            }
            // Forget what is older than the overlap: it can't be seen again.
            countedStarts = countedStarts.filter { $0.value >= createdWatermark.addingTimeInterval(-2 * Self.overlap) }
            countedEnds = countedEnds.filter { $0.value >= endedWatermark.addingTimeInterval(-2 * Self.overlap) }
        }
    }
}
