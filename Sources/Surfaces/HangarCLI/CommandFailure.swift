import ArgumentParser
import Foundation
import HangarFlights
import HangarRunner

/// An error the CLI itself finds (an unreadable --source file, a missing environment variable),
/// with the exit status it stands for.
struct CommandFailure: Error {
    let status: ExitStatus
    let message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
}

extension CommandFailure {
    /// Runs a command's body, printing `Error: <message>` on standard error for a failure and
    /// exiting with its status (see ``ExitStatus``). Exit codes thrown on purpose pass through.
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            let (status, message) = describe(error)
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
            throw status.exitCode
        }
    }

    private static func describe(_ error: any Error) -> (ExitStatus, String) {
        switch error {
        case let error as CommandFailure: (error.status, error.message)
        case let error as FlightsError: (ExitStatus(error.kind), error.message)
        case let error as RunnerError: (.failure, error.message)
        default: (.failure, "\(error)")
        }
    }
}
