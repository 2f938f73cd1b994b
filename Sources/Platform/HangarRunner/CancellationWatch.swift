import Foundation
import HangarFlights
#if canImport(Glibc)
import Glibc
#endif

/// Watches for a run's cancellation: SIGUSR1 from `RunCanceller` acts at once, and the store is
/// polled as well (a request made while the signal could not be delivered, a deleted run).
final class CancellationWatch: @unchecked Sendable {
    private let flights: Flights
    private let runID: UUID
    private let pollInterval: TimeInterval
    private let queue = DispatchQueue(label: "hangar.cancellation")
    private var signalSource: DispatchSourceSignal?
    private var timer: DispatchSourceTimer?
    private var action: (() -> Void)?
    private var fired = false
    private(set) var runWasDeleted = false

    init(flights: Flights, runID: UUID, pollInterval: TimeInterval) {
        self.flights = flights
        self.runID = runID
        self.pollInterval = pollInterval
        signal(SIGUSR1, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: queue)
        source.setEventHandler { [weak self] in self?.check() }
        source.resume()
        signalSource = source
    }

    /// Whether a cancel was requested (or the run deleted) already.
    func isRequested() -> Bool {
        guard let run = try? flights.run(id: runID) else {
            runWasDeleted = true
            return true
        }
        return run.cancelRequestedAt != nil || run.status.isFinished
    }

    /// Calls `action` once, on the first sign of cancellation.
    func watch(_ action: @escaping () -> Void) {
        queue.sync { self.action = action }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + pollInterval, repeating: pollInterval)
        timer.setEventHandler { [weak self] in self?.check() }
        timer.resume()
        queue.sync { self.timer = timer }
        queue.async { self.check() }
    }

    func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
            signalSource?.cancel()
            signalSource = nil
            action = nil
        }
    }

    private func check() {
        guard !fired, let action else { return }
        let requested: Bool
        do {
            let run = try flights.run(id: runID)
            requested = run.cancelRequestedAt != nil
        } catch where error.kind == .notFound {
            runWasDeleted = true
            requested = true
        } catch {
            return
        }
        if requested {
            fired = true
            action()
        }
    }
}
