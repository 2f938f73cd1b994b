import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process started in a session of its own, not waited for: it outlives its parent, a
/// terminal's hang-up and a Ctrl-C sent to the parent's process group.
enum DetachedProcess {
    /// - onExit: called with the exit status when it ends (from the thread that reaps it).
    @discardableResult
    static func spawn(executable: URL, arguments: [String], output: URL,
                      environment: [String: String] = ProcessInfo.processInfo.environment,
                      onExit: (@Sendable (Int32) -> Void)? = nil) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // glibc's POSIX_SPAWN_SETSID (0x80) is hidden behind _GNU_SOURCE, so Swift cannot see it.
        posix_spawnattr_setflags(&attributes, Int16(0x80))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of the starting process's goes along: a descriptor it inherited without
        // close-on-exec (a pipe or socket its own parent watches for end of file, as
        // Foundation's Process does to notice an exit) would stay open as long as the run lasts.
        if let closeFrom = addClosefrom { _ = closeFrom(&actions, 3) }

        let argv = [executable.path] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let status = withCStrings(argv) { argvPointer in
            withCStrings(envp) { envPointer in
                posix_spawn(&pid, executable.path, &actions, &attributes, argvPointer, envPointer)
            }
        }
        guard status == 0 else {
            throw RunnerError("could not start \(executable.lastPathComponent) supervise: \(String(cString: strerror(status)))")
        }
        // Reap it whenever it ends, so a long-lived parent (the server) collects no zombies.
        let child = pid
        Thread.detachNewThread {
            var code: Int32 = 0
            while waitpid(child, &code, 0) < 0 && errno == EINTR {}
            onExit?(code)
        }
        return pid
    }

    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    /// glibc 2.34+; hidden behind _GNU_SOURCE, so looked up by name.
    private static let addClosefrom: AddClosefrom? = {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(address, to: AddClosefrom.self)
    }()

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// A run could not be started or supervised.
public struct RunnerError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
