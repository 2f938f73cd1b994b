import Foundation

#if canImport(Glibc)
/// glibc's `malloc_trim` (from malloc.h, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32
#endif

enum MemoryRelease {
    /// mimalloc's `mi_collect`, when the process runs on mimalloc (the `hangar` executable links it).
    private typealias Collect = @convention(c) (Bool) -> Void
    nonisolated(unsafe) private static let mimallocCollect: Collect? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mi_collect") else { return nil }
        return unsafeBitCast(symbol, to: Collect.self)
        #else
        return nil
        #endif
    }()

    /// Returns memory the process freed to the system. Allocators keep freed memory for reuse
    /// (glibc in each thread's arena, mimalloc in its pages); after a stage that used many threads
    /// that is most of the resident size.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        if let mimallocCollect {
            mimallocCollect(true)
        } else {
            _ = mallocTrim(0)
        }
        #endif
    }
}
