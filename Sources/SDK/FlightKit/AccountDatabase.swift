import DuckDB
import Foundation
import HangarAccount

/// One of the account's DuckDB databases, opened only while its lease is held, so a flight never
/// fails on DuckDB's one-writer lock and never blocks a SQL session for longer than its work.
/// A DuckLake database (`CREATE DATABASE … (TYPE ducklake …)`) is attached instead, without a
/// lease: DuckLake commits each transaction as a snapshot, many writers at once.
///
///     try flight.database("docs_playground").write { connection in
///         try connection.execute("INSERT INTO flights_demo.dlt_ingest_runs VALUES (now(), ?, ?, ?)", [...])
///     }
public struct AccountDatabase: Sendable {
    public let name: String
    public let url: URL
    let holder: LeaseHolder
    let leaseTimeout: Double

    /// Opens the database under its lease, runs `work` in a transaction (rolled back when it
    /// throws), closes the file and releases the lease.
    public func write<T>(_ work: (Connection) throws -> T) throws -> T {
        try withLease {
            return try connect().transaction(work)
        }
    }

    /// Opens the database under its lease for work that manages its own transactions.
    public func use<T>(_ work: (Connection) throws -> T) throws -> T {
        try withLease {
            return try work(try connect())
        }
    }

    /// The lake's descriptor when this is a DuckLake database, else nil.
    public var lake: DuckLakeDescriptor? {
        get throws { DuckLakeDescriptor.isDescriptor(url) ? try DuckLakeDescriptor.read(from: url) : nil }
    }

    /// A connection whose default database is this one: the file, or the lake attached by name.
    private func connect() throws -> Connection {
        if let lake = try lake { return try DuckLake.connect(lake.location, alias: AccountDatabaseFile.alias(forName: name)) }
        return try Database(path: url.path).connect()
    }

    /// Holds the lease while `work` runs, saying on stderr (so in the run's log) who it waits for;
    /// a DuckLake database has none to hold.
    public func withLease<T>(_ work: () throws -> T) throws -> T {
        if DuckLakeDescriptor.isDescriptor(url) { return try work() }
        let file = url
        return try DatabaseLease.with(file, as: holder, timeout: leaseTimeout, waiting: { current in
            let who = current.map(\.description) ?? "another process"
            FileHandle.standardError.write(Data("waiting for \(file.lastPathComponent): held by \(who)\n".utf8))
        }, work)
    }
}

extension FlightContext {
    /// An account database by name (`docs_playground` → `<home>/databases/docs_playground.duckdb`),
    /// created on first use.
    public func database(_ name: String, leaseTimeout: Double = 600) throws -> AccountDatabase {
        AccountDatabase(name: name, url: try home.database(name), holder: LeaseHolder(purpose: leaseHolderName),
                        leaseTimeout: leaseTimeout)
    }
}
