import Foundation

#if canImport(Glibc)
/// glibc's `malloc_trim` (from malloc.h, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32
#endif

enum MemoryRelease {
    /// mimalloc's functions, when the process runs on mimalloc (the `hangar` executable links it).
    private struct Mimalloc {
        typealias Collect = @convention(c) (Bool) -> Void
        typealias OptionGet = @convention(c) (Int32) -> Int
        typealias OptionSet = @convention(c) (Int32, Int) -> Void
        let collect: Collect
        /// Set of `mi_option_decommit_delay` (called `purge_delay` from 2.1, same number) and its
        /// value at start, when the version is one whose option numbering is known (2.x).
        let decommitDelay: (set: OptionSet, usual: Int)?

        /// mimalloc 2's number for the decommit delay option.
        static let decommitDelayOption: Int32 = 15
    }

    nonisolated(unsafe) private static let mimalloc: Mimalloc? = {
        #if canImport(Glibc)
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
        }
        guard let collect = symbol("mi_collect", as: Mimalloc.Collect.self) else { return nil }
        typealias Version = @convention(c) () -> Int32
        var decommitDelay: (set: Mimalloc.OptionSet, usual: Int)?
        if let version = symbol("mi_version", as: Version.self)?(), (200..<300).contains(version),
           let get = symbol("mi_option_get", as: Mimalloc.OptionGet.self), let set = symbol("mi_option_set", as: Mimalloc.OptionSet.self) {
            decommitDelay = (set, get(Mimalloc.decommitDelayOption))
        }
        return Mimalloc(collect: collect, decommitDelay: decommitDelay)
        #else
        return nil
        #endif
    }()

    /// The delay is process-wide: threads collecting at once take turns, so that none restores
    /// the zero another set (left at zero, every later free decommits at once, which is slow).
    private static let zeroDelay = NSLock()

    /// `returnFreedMemory` on a serial queue's thread, after the work queued so far: its blocks
    /// run on a pool thread, whose allocator pages a collection on the caller's thread does not
    /// reach. (`sync` would run the block on the caller's thread instead.)
    static func returnFreedMemory(on queue: DispatchQueue) {
        let done = DispatchSemaphore(value: 0)
        queue.async {
            returnFreedMemory()
            done.signal()
        }
        done.wait()
    }

    /// Returns memory the calling thread freed to the system. Allocators keep freed memory for
    /// reuse (glibc in each thread's arena, mimalloc in the pages of the thread that allocated
    /// it); after a stage that used many threads that is most of the resident size. Each thread
    /// that freed much calls it for itself: mimalloc collects only the caller's own pages.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        guard let mimalloc else {
            _ = mallocTrim(0)
            return
        }
        guard let delay = mimalloc.decommitDelay else { return mimalloc.collect(true) }
        // mimalloc decommits freed pages only a delay after they were freed, and collecting does
        // not shorten it: what a thread freed last stayed resident.
        // With the delay at zero for the collection, all of it goes back.
        zeroDelay.withLock {
            delay.set(Mimalloc.decommitDelayOption, 0)
            mimalloc.collect(true)
            delay.set(Mimalloc.decommitDelayOption, delay.usual)
        }
        #endif
    }
}
