#if canImport(Glibc)
/// glibc's `malloc_trim` (from malloc.h, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func mallocTrim(_ pad: Int) -> Int32
#endif

enum MemoryRelease {
    /// Returns memory the process freed to the system. glibc keeps freed memory in each thread's
    /// arena for reuse; after a stage that used many threads that is most of the resident size.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = mallocTrim(0)
        #endif
    }
}
