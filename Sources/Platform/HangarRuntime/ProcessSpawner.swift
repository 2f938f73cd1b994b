import Foundation

/// Starts a program as the leader of a new process group, so the whole tree it makes can be
/// signalled at once, with exactly the given environment, stdin from /dev/null, stdout and
/// stderr on pipes, and no other descriptor of this process (a lease's lock, the store's
/// database) inherited.
enum ProcessSpawner {
    struct Spawned {
        let pid: pid_t
        let stdout: Int32
        let stderr: Int32
    }

    static func spawn(path: String, arguments: [String], environment: [String: String], workingDirectory: String) throws -> Spawned {
        for (name, value) in environment where name.isEmpty || name.contains("=") || name.contains("\0") || value.contains("\0") {
            throw RuntimeError(.invalidEnvironment, "the environment variable \(name.debugDescription) cannot be passed to a program: names must be non-empty without \"=\" or NUL, values without NUL")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workingDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RuntimeError(.spawnFailed, "the working directory \(workingDirectory) does not exist; create it before starting the run")
        }
        guard let addChdir = GlibcExtras.addChdir else {
            throw RuntimeError(.spawnFailed, "this C library has no posix_spawn_file_actions_addchdir_np (glibc 2.29 or newer is needed)")
        }
        let stdout = try makePipe()
        let stderr: (read: Int32, write: Int32)
        do { stderr = try makePipe() } catch { close(stdout.read); close(stdout.write); throw error }
        defer {
            // The child has its own copies; ours must go, or the reader would never see EOF.
            close(stdout.write)
            close(stderr.write)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr.write, 2)
        _ = addChdir(&actions, workingDirectory)
        if let addClosefrom = GlibcExtras.addClosefrom { _ = addClosefrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // SETPGROUP with group 0: the child leads a new group whose id is its pid. Signal
        // dispositions and the mask are reset because ignored signals survive exec: a supervisor
        // ignoring SIGPIPE would otherwise hand that to the flight.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else {
            close(stdout.read)
            close(stderr.read)
            throw RuntimeError(.spawnFailed, "cannot start \(path) in \(workingDirectory): \(systemErrorText(result))")
        }
        return Spawned(pid: pid, stdout: stdout.read, stderr: stderr.read)
    }

    /// Both ends close on exec, so no other program started meanwhile (by any thread) keeps a
    /// copy of the write end and holds the reader's EOF back.
    static func makePipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        let result = descriptors.withUnsafeMutableBufferPointer { buffer in
            if let pipe2 = GlibcExtras.pipe2 { return pipe2(buffer.baseAddress!, O_CLOEXEC) }
            guard pipe(buffer.baseAddress!) == 0 else { return -1 }
            _ = fcntl(buffer[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(buffer[1], F_SETFD, FD_CLOEXEC)
            return 0
        }
        guard result == 0 else { throw RuntimeError(.spawnFailed, "cannot create a pipe: \(systemErrorText())") }
        return (descriptors[0], descriptors[1])
    }
}

/// glibc functions Swift's Glibc module does not show (they need _GNU_SOURCE), looked up once.
enum GlibcExtras {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    static let addClosefrom: AddClosefrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    static let pipe2: Pipe2? = symbol("pipe2")

    private static func symbol<T>(_ name: String) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}
