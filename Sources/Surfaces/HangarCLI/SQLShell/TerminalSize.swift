#if canImport(Glibc)
import Glibc
#endif

/// The size of the terminal the shell prints to, asked again for each result so a resized
/// window is followed.
enum TerminalSize {
    /// Columns of the terminal on `descriptor`; nil when it is no terminal (a file, a pipe).
    static func columns(of descriptor: Int32 = STDOUT_FILENO) -> Int? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
