import Foundation
import Leases

/// The runtime's locks (a Python environment or a Swift build being made, uv being installed):
/// leases on a file, waited for as long as the holder works, with the waiter told once.
enum FileLock {
    /// Blocks until the lease is held; `busy` is called once first when somebody else holds it.
    static func acquire(_ file: URL, busy: () -> Void = {}) throws -> FileLease {
        do {
            return try FileLease.acquire(file, as: LeaseHolder(purpose: "hangar (\(file.deletingPathExtension().lastPathComponent))"),
                                         waiting: { _ in busy() })
        } catch {
            throw RuntimeError(.storage, "\(error.message); check the permissions of the Hangar home")
        }
    }
}
