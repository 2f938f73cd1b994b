/// One connection shared by many tasks, which take turns: the actor runs one closure at a time.
///
/// For parallel work, give each task its own `Connection` instead.
public actor SerialConnection {
    private let connection: Connection
    public nonisolated let interruptHandle: InterruptHandle

    public init(_ database: Database) throws {
        let connection = try database.connect()
        interruptHandle = connection.interruptHandle
        self.connection = connection
    }

    /// Runs `body` with the connection, after any closure already running has finished.
    public func run<T: Sendable>(_ body: (Connection) throws -> T) throws -> T {
        try body(connection)
    }
}
