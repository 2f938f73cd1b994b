import Foundation

/// An exclusive advisory `flock` on a file, between processes and between threads of one
/// process alike (each holder opens the file itself). The kernel drops it when the holder dies,
/// so a crashed build never leaves a lock behind.
final class FileLock {
    private var descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Blocks until the lock is held; `busy` is called once first when somebody else holds it.
    static func acquire(_ file: URL, busy: () -> Void = {}) throws -> FileLock {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RuntimeError(.storage, "cannot open the lock file \(file.path): \(systemErrorText()); check the permissions of the Hangar home")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            busy()
            var result: Int32
            repeat { result = flock(descriptor, LOCK_EX) } while result != 0 && errno == EINTR
            guard result == 0 else {
                let reason = systemErrorText()
                close(descriptor)
                throw RuntimeError(.storage, "cannot lock \(file.path): \(reason)")
            }
        }
        return FileLock(descriptor: descriptor)
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }
}
