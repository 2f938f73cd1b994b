import FlightKit
import Foundation
import HangarTestSupport
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle

/// A real HTTP server on 127.0.0.1 (a free port) for one test, with the routes it sets up;
/// stopped when the test is done with it.
final class TestServer: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    static func start(_ routes: (Router<BasicRequestContext>) -> Void) async throws -> TestServer {
        let router = Router()
        routes(router)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "TestServer")
        logger.logLevel = .critical
        let app = Application(router: router,
                              configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  continuation.yield(channel.localAddress?.port ?? 0)
                                  continuation.finish()
                              },
                              logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw TestFailure("the test server did not start")
        }
        return TestServer(port: port, group: group, task: task)
    }

    /// Stops the server (gracefully: the listener closes, idle connections are closed; handlers
    /// still busy after a second are cancelled) and waits until it has; call at the end of a test
    /// (`defer` cannot await).
    func stop() async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let deadline = Task {
            try await Task.sleep(for: .seconds(1))
            task.cancel()
        }
        _ = await task.result
        deadline.cancel()
    }

    deinit { task.cancel() }
}

/// A value shared between a test and its server's handlers.
final class Shared<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    @discardableResult
    func update<Result>(_ change: (inout Value) -> Result) -> Result {
        lock.withLock { change(&stored) }
    }
}

/// A clock that records each wait and moves its own time instead of sleeping.
final class TestClock: RESTClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var recorded: [Duration] = []

    init(now: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = now }

    var now: Date { lock.withLock { current } }
    var sleeps: [Duration] { lock.withLock { recorded } }
    var sleptSeconds: [Double] { sleeps.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        lock.withLock {
            recorded.append(duration)
            current = current.addingTimeInterval(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
    }
}

/// Collects what a client logs.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    var lines: [String] { lock.withLock { stored } }

    func log(requests: Bool = true) -> RESTLog {
        RESTLog(requests: requests) { [self] line in lock.withLock { stored.append(line) } }
    }
}

/// Responses for the handlers.
enum Reply {
    /// A handler that answers slowly: waits until the test is finished with it (so stopping the
    /// server is not held up), or at most `limit`.
    static func stall(until finished: Shared<Bool>, atMost limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while !finished.value, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: [String: String] = [:]) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            fields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func object(_ object: Any, status: HTTPResponse.Status = .ok, headers: [String: String] = [:]) -> Response {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return json(String(decoding: data, as: UTF8.self), status: status, headers: headers)
    }
}

extension Request {
    func query(_ name: String) -> String? { uri.queryParameters[name[...]].map(String.init) }

    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
}
