import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HangarTestSupport

/// A program on a pseudo-terminal of its own, as a person at a terminal runs it: the terminal is
/// its controlling one (so Ctrl-C is a SIGINT from the line discipline), it has a window size,
/// and keys arrive one by one. Tests type into it and read what it draws.
///
/// Nothing here waits a fixed time: `expect` reads until the text appears, up to a generous
/// deadline (the machine is slow and busy with other tests), and fails with the transcript.
final class PseudoTerminal {
    let pid: pid_t
    private let controller: Int32
    private var transcript: [UInt8] = []
    /// Where the next `expect` starts looking: text is matched once.
    private var position = 0
    private var ended = false
    private var exitStatus: Int32?

    static let deadline = Duration.seconds(120)

    /// Starts `hangar ARGUMENTS` in `directory`, on a terminal `columns` wide.
    init(hangar arguments: [String], in directory: URL, columns: Int = 100) throws {
        guard let glibc = TerminalFunctions.lookUp() else {
            throw TestFailure("this C library lacks posix_openpt, ptsname_r or posix_spawn_file_actions_addchdir_np (glibc 2.29 or newer has them)")
        }
        controller = glibc.openController(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard controller >= 0, glibc.grant(controller) == 0, glibc.unlock(controller) == 0 else {
            throw TestFailure("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        var name = [CChar](repeating: 0, count: 256)
        guard glibc.name(controller, &name, name.count) == 0 else {
            close(controller)
            throw TestFailure("cannot name the pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        var size = winsize(ws_row: 40, ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(controller, UInt(TIOCSWINSZ), &size)

        // The child starts a session of its own; opening the terminal then makes it the
        // session's controlling terminal, with the child in the foreground.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        _ = glibc.addChdir(&actions, directory.path)
        // Other tests' pipes stay theirs: a copy held here would keep their readers from EOF.
        _ = glibc.addClosefrom?(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // SIGINT as a terminal program gets it, whatever the test runner did with its own.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(TerminalFunctions.spawnSetSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let executable = try HangarProcess.executable().path
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        // The user's own key bindings would change what keys do.
        environment["EDITRC"] = "/dev/null"
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            close(controller)
            throw TestFailure("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        pid = child
    }

    /// SIGKILL, in case a test failed half-way; a no-op for a child that has ended.
    deinit {
        stop()
        close(controller)
    }

    func stop() {
        guard exitStatus == nil else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exitStatus = status
    }

    /// Types `keys` (text, or control sequences such as "\u{1B}[A" for Up).
    func type(_ keys: String) throws {
        var bytes = Array(keys.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(controller, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw TestFailure("cannot type into the terminal: \(String(cString: strerror(errno)))") }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Reads until `text` appears after what earlier calls matched; returns what came before it.
    @discardableResult
    func expect(_ text: String, within deadline: Duration = PseudoTerminal.deadline) throws -> String {
        let wanted = Array(text.utf8)
        let end = ContinuousClock.now + deadline
        while true {
            if let range = transcript[position...].firstRange(of: wanted) {
                let before = String(decoding: transcript[position..<range.lowerBound], as: UTF8.self)
                position = range.upperBound
                return before
            }
            guard !ended else {
                throw TestFailure("the program ended before \(String(reflecting: text)) appeared; it printed:\n\(shown)")
            }
            guard try readMore(until: end) else {
                throw TestFailure("no \(String(reflecting: text)) after \(deadline); the terminal shows:\n\(shown)")
            }
        }
    }

    /// Reads until the program closes the terminal, and returns its exit status.
    func expectEnd(within deadline: Duration = PseudoTerminal.deadline) throws -> Int32 {
        let end = ContinuousClock.now + deadline
        while !ended {
            guard try readMore(until: end) else {
                throw TestFailure("the program did not end within \(deadline); the terminal shows:\n\(shown)")
            }
        }
        if exitStatus == nil {
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            exitStatus = status
        }
        let status = exitStatus ?? -1
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Everything the program drew so far, escapes made visible.
    var shown: String {
        String(decoding: transcript, as: UTF8.self).unicodeScalars.map { scalar in
            switch scalar {
            case "\n", "\t": String(scalar)
            case "\r": ""
            case _ where scalar.value < 0x20: "^" + String(UnicodeScalar(scalar.value + 0x40)!)
            default: String(scalar)
            }
        }.joined()
    }

    /// One read, waiting at most until `end`; false when the deadline passed first.
    private func readMore(until end: ContinuousClock.Instant) throws -> Bool {
        let remaining = end - ContinuousClock.now
        guard remaining > .zero else { return false }
        var descriptor = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0, errno == EINTR { return true }
        guard ready > 0 else { return ready == 0 ? ContinuousClock.now < end : false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(controller, &buffer, buffer.count)
        if count > 0 {
            transcript += buffer[..<count]
        } else if count == 0 || errno == EIO {
            // Linux says EIO once every process has closed the terminal's other side.
            ended = true
        } else if errno != EINTR && errno != EAGAIN {
            throw TestFailure("cannot read the terminal: \(String(cString: strerror(errno)))")
        }
        return true
    }
}

/// The glibc functions a pseudo-terminal needs that Swift's Glibc module does not show (they
/// need _GNU_SOURCE or _XOPEN_SOURCE), looked up by name.
private struct TerminalFunctions {
    typealias OpenController = @convention(c) (Int32) -> Int32
    typealias OnController = @convention(c) (Int32) -> Int32
    typealias Name = @convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's POSIX_SPAWN_SETSID: the child starts a session of its own.
    static let spawnSetSID: Int32 = 0x80

    let openController: OpenController
    let grant: OnController
    let unlock: OnController
    let name: Name
    let addChdir: AddChdir
    let addClosefrom: AddClosefrom?

    static func lookUp() -> TerminalFunctions? {
        guard let openController: OpenController = symbol("posix_openpt"), let grant: OnController = symbol("grantpt"),
              let unlock: OnController = symbol("unlockpt"), let name: Name = symbol("ptsname_r"),
              let addChdir: AddChdir = symbol("posix_spawn_file_actions_addchdir_np") else { return nil }
        return TerminalFunctions(openController: openController, grant: grant, unlock: unlock, name: name, addChdir: addChdir,
                                 addClosefrom: symbol("posix_spawn_file_actions_addclosefrom_np"))
    }

    private static func symbol<T>(_ name: String) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}
