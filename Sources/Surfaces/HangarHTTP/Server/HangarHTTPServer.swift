import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP server of `hangar serve`, a service of its ServiceGroup. On a graceful shutdown it
/// stops accepting connections, ends open log streams (browsers reconnect to the next server)
/// and lets requests in flight finish.
public struct HangarHTTPServer: Service {
    public let host: String
    public let port: Int
    private let api: HangarAPI
    private let authenticatedRoutes: [AuthenticatedRoutes]
    private let readiness: ServerReadiness
    private let onListening: @Sendable (_ url: String) -> Void

    /// - port: 0 picks a free port; `onListening` gets the URL with the real one.
    /// - authenticatedRoutes: routes added behind the token, such as `/metrics`.
    /// - readiness: resolved once the server listens, so other services can wait for that.
    public init(host: String, port: Int, api: HangarAPI, authenticatedRoutes: [AuthenticatedRoutes] = [],
                readiness: ServerReadiness = ServerReadiness(), onListening: @escaping @Sendable (_ url: String) -> Void = { _ in }) {
        self.host = host
        self.port = port
        self.api = api
        self.authenticatedRoutes = authenticatedRoutes
        self.readiness = readiness
        self.onListening = onListening
    }

    public func run() async throws {
        let router = HangarRouter.build(api: api, authenticatedRoutes: authenticatedRoutes)
        // Hummingbird's own log lines (one per connection error, the listening notice) stay
        // quiet; requests are logged by RequestLogMiddleware.
        var frameworkLogger = Logger(label: "hangar.http.server")
        frameworkLogger.logLevel = .warning
        let host = host, onListening = onListening, readiness = readiness
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "Hangar"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                onListening("http://\(Self.urlHost(host)):\(port)")
                readiness.resolve(port: port)
            },
            logger: frameworkLogger
        )
        do {
            try await withGracefulShutdownHandler {
                try await application.run()
            } onGracefulShutdown: {
                api.shutdown.trigger()
            }
        } catch {
            readiness.fail()
            await api.close()
            throw error
        }
        readiness.fail()
        await api.close()
    }

    /// IPv6 addresses go in brackets in URLs.
    static func urlHost(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }

    /// Whether `host` only reaches this machine: 127.0.0.0/8, ::1 and localhost.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }
}
