import Foundation
import HangarTestSupport

/// `hangar sql` sessions on a test's own home, as a user of the `MD_*` functions runs them.
extension FlightsTestHome {
    /// Runs `statements` in one `hangar sql --json` session (on the account database `database`
    /// when given) and returns each printed result, in order; fails the test when the session
    /// fails.
    func sql(_ statements: String..., database: String? = nil) throws -> [[[String: Any]]] {
        let output = try sqlSession(statements, database: database)
        guard output.status == 0 else {
            throw TestFailure("hangar sql failed: \(output.stderr)\nstatements: \(statements)")
        }
        return try Self.results(output.stdout)
    }

    /// The rows of the last result of one session.
    func rows(_ statements: String..., database: String? = nil) throws -> [[String: Any]] {
        let output = try sqlSession(statements, database: database)
        guard output.status == 0 else {
            throw TestFailure("hangar sql failed: \(output.stderr)\nstatements: \(statements)")
        }
        return try Self.results(output.stdout).last ?? []
    }

    /// The error a session ends with: what `hangar sql` printed on standard error.
    func sqlError(_ statements: String...) throws -> String {
        let output = try sqlSession(statements, database: nil)
        guard output.status != 0 else {
            throw TestFailure("expected an error from \(statements), got \(output.stdout)")
        }
        return output.stderr
    }

    /// `DESCRIBE query`: the result's columns as "name TYPE".
    func columns(of query: String) throws -> [String] {
        try rows("DESCRIBE \(query)").map { "\($0["column_name"] as? String ?? "?") \($0["column_type"] as? String ?? "?")" }
    }

    func sqlSession(_ statements: [String], database: String?) throws -> ProgramOutput {
        var arguments = ["sql"]
        if let database { arguments.append(database) }
        arguments += ["--json", "--home", home]
        // Standard input, as a script: statements may hold any text (a `$flight$` source …).
        return try HangarProcess.run(arguments, input: statements.map { $0.hasSuffix(";") ? $0 : $0 + ";" }.joined(separator: "\n"))
    }

    /// `--json` prints each result as an array of objects, one object per line, the array
    /// closing on the last line of the result.
    static func results(_ text: String) throws -> [[[String: Any]]] {
        var results: [[[String: Any]]] = []
        var pending = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            pending += line + "\n"
            guard line.hasSuffix("]") else { continue }
            results.append(try JSONOutput.array(pending))
            pending = ""
        }
        return results
    }
}

/// What `SET VARIABLE` users write to keep a flight's id for the next statements.
func selectFlightID(_ name: String, into variable: String = "fid") -> String {
    "SET VARIABLE \(variable) = (SELECT flight_id FROM MD_LIST_FLIGHTS() WHERE flight_name = '\(name)')"
}
