import ArgumentParser
import Foundation

/// `KEY=VALUE` arguments (`--config`, secret params). Only their shape is checked here; what
/// keys and values may contain is the platform's rule.
enum KeyValueArguments {
    /// Splits each `KEY=VALUE` at its first `=`; a missing `=` or a key given twice is a usage
    /// error. Values may contain `=`.
    static func parse(_ arguments: [String], option: String) throws -> [String: String] {
        var entries: [String: String] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw ValidationError("\(option) takes KEY=VALUE, not \"\(argument)\".")
            }
            let key = String(argument[..<equals])
            guard entries.updateValue(String(argument[argument.index(after: equals)...]), forKey: key) == nil else {
                throw ValidationError("\(option) sets \"\(key)\" twice; give each key once.")
            }
        }
        return entries
    }

    /// Secret params: `KEY=VALUE`, or `KEY` alone to take the value from the environment variable
    /// of that name, which keeps it out of shell history and `ps`. Messages never quote a value,
    /// nor an argument without `=` (it may be a value typed without its key).
    static func secretParams(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [String: String] {
        var params: [String: String] = [:]
        for (index, argument) in arguments.enumerated() {
            let key: String, value: String
            if let equals = argument.firstIndex(of: "=") {
                key = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else if let fromEnvironment = environment[argument] {
                (key, value) = (argument, fromEnvironment)
            } else {
                throw CommandFailure(.invalidInput, "param \(index + 1) has no '=' and is not the name of a set environment variable: pass KEY=VALUE, or export KEY and pass KEY alone")
            }
            guard params.updateValue(value, forKey: key) == nil else {
                throw CommandFailure(.invalidInput, "param \"\(key)\" is given twice; give each key once")
            }
        }
        return params
    }
}

/// The text of a file named by an option (`--source`, `--requirements`); `-` reads standard input.
enum TextFileArgument {
    static func read(_ path: String, option: String) throws -> String {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw CommandFailure(.invalidInput, "cannot read \(option) \(path): no such file")
            }
            guard !isFolder.boolValue, let contents = FileManager.default.contents(atPath: path) else {
                throw CommandFailure(.invalidInput, "cannot read \(option) \(path): \(isFolder.boolValue ? "it is a folder" : "permission denied")")
            }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure(.invalidInput, "\(option) \(path) is not UTF-8 text")
        }
        return text
    }
}
