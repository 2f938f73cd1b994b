import Foundation
import HangarAccount
#if canImport(Glibc)
import Glibc
#endif

/// Checks presented tokens against the token file, re-reading it only when it changed (another
/// inode after a rotation, or another size or modification time), so a request costs one
/// `stat` and a rotation takes effect at once.
final class TokenVerifier: @unchecked Sendable {
    private let home: HangarHome
    private let lock = NSLock()
    private var cached: (identity: FileIdentity, token: String?)?

    init(home: HangarHome) {
        self.home = home
    }

    /// The token in force now; nil when the file is missing or empty, which refuses everyone.
    func currentToken() -> String? {
        let path = ServerToken.file(in: home).path
        let identity = FileIdentity(path)
        return lock.withLock {
            if let cached, let identity, cached.identity == identity { return cached.token }
            let token = try? ServerToken.read(in: home)
            if let identity { cached = (identity, token) } else { cached = nil }
            return token
        }
    }

    /// Whether `presented` is the token, compared in constant time.
    func accepts(_ presented: String) -> Bool {
        guard let token = currentToken() else { return false }
        return Self.constantTimeEquals(presented, token)
    }

    /// Compares every byte whatever the first difference, so timing reveals nothing of the
    /// token but (at most) its length, which is fixed.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        let length = max(left.count, right.count)
        for index in 0..<length {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}

/// What tells one version of a file from another without reading it.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    init?(_ path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modifiedSeconds = Int(status.st_mtim.tv_sec)
        modifiedNanoseconds = Int(status.st_mtim.tv_nsec)
    }
}
