import ServiceLifecycle

/// Runs a service once the HTTP server listens, and not at all when it never does; `watch`
/// tells `/healthz` whether it runs.
public struct StartsAfterListening: Service {
    private let service: any Service
    private let readiness: ServerReadiness
    private let watch: ServiceWatch
    private let onStart: @Sendable () -> Void

    public init(_ service: any Service, readiness: ServerReadiness, watch: ServiceWatch = ServiceWatch(),
                onStart: @escaping @Sendable () -> Void = {}) {
        self.service = service
        self.readiness = readiness
        self.watch = watch
        self.onStart = onStart
    }

    public func run() async throws {
        defer { watch.markEnded() }
        guard await readiness.port() != nil, !Task.isCancelled else { return }
        onStart()
        watch.markStarted()
        try await service.run()
    }
}
