import Foundation

/// Finds `uv` for building environments: Hangar's own copy in `<tools>/uv/bin/uv`, else one on
/// PATH, else installs it once from the package index with pip into `<tools>/uv` (under a lock,
/// in a temporary folder renamed into place; uv is one self-contained binary, so it moves).
enum UvTool {
    static func locate(tools: URL, python: PythonInterpreter, environment: [String: String], log: @escaping LogSink) -> String? {
        let installed = tools.appendingPathComponent("uv/bin/uv").path
        if FileManager.default.isExecutableFile(atPath: installed) { return installed }
        if let onPath = try? RunCommand(executable: "uv", environment: environment, workingDirectory: tools).resolvedExecutable() {
            return onPath
        }
        do {
            let lock = try FileLock.acquire(tools.appendingPathComponent("uv.lock")) {
                log([CapturedLine(stream: .hangar, text: "waiting for another process installing uv")])
            }
            defer { lock.release() }
            if FileManager.default.isExecutableFile(atPath: installed) { return installed }
            log([CapturedLine(stream: .hangar, text: "installing uv into \(tools.path) (once for this Hangar home)")])
            let staging = tools.appendingPathComponent(".uv-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: staging) }
            let result = try ToolRunner.run(RunCommand(executable: python.path,
                                                       arguments: ["-m", "pip", "install", "--no-input", "--target", staging.path, "uv"],
                                                       environment: environment, workingDirectory: tools),
                                            timeout: 600, log: log)
            guard result.outcome.succeeded, FileManager.default.isExecutableFile(atPath: staging.appendingPathComponent("bin/uv").path) else {
                log([CapturedLine(stream: .hangar, text: "could not install uv (\(result.outcome)); using pip instead")])
                return nil
            }
            try? FileManager.default.removeItem(at: tools.appendingPathComponent("uv"))
            try FileManager.default.moveItem(at: staging, to: tools.appendingPathComponent("uv"))
            return installed
        } catch {
            log([CapturedLine(stream: .hangar, text: "could not install uv (\(error)); using pip instead")])
            return nil
        }
    }
}
