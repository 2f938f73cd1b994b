/// Hints added to a failed Python run's log.
public enum PythonHints {
    /// For a `NameError` on a name that is a well-known module (or its usual alias), the import
    /// that is missing: the guide's code lost its import lines when it was rendered, so pasted
    /// flights fail this way. `stderrLines` are the run's stderr lines; the last NameError counts
    /// (the one that ended the traceback).
    public static func missingImport(in stderrLines: [String]) -> String? {
        for line in stderrLines.reversed() {
            guard let name = undefinedName(in: line) else { continue }
            guard let statement = importStatements[name] else { return nil }
            return "hint: add \"\(statement)\" at the top of the script (the guide's code lost its import lines)"
        }
        return nil
    }

    /// For a run that could not reach MotherDuck (a token is configured, so `md:` went there):
    /// what to check, and how to use the local account instead.
    public static func motherDuckUnreachable(in stderrLines: [String]) -> String? {
        let unreachable = stderrLines.contains { line in
            (line.contains("motherduck") || line.contains("MotherDuck"))
                && ["Could not establish connection", "Failed to download", "Name or service not known",
                    "Temporary failure in name resolution"].contains { line.contains($0) }
        }
        guard unreachable else { return nil }
        return "hint: MotherDuck could not be reached (a MotherDuck token is configured, so md: goes there): check this machine's access to api.motherduck.com; `hangar motherduck logout` makes md: the local account again"
    }

    /// `X` from `NameError: name 'X' is not defined` (with or without Python's own
    /// ". Did you mean …?" suffix).
    static func undefinedName(in line: String) -> String? {
        guard let range = line.range(of: "NameError: name '") else { return nil }
        let rest = line[range.upperBound...]
        guard let end = rest.firstIndex(of: "'"), rest[end...].hasPrefix("' is not defined") else { return nil }
        return String(rest[..<end])
    }

    static let importStatements: [String: String] = {
        var statements: [String: String] = [:]
        for module in ["os", "sys", "json", "time", "datetime", "pathlib", "re", "math", "random", "logging", "subprocess",
                       "typing", "collections", "itertools", "functools", "csv", "io", "uuid", "hashlib", "base64", "tempfile",
                       "shutil", "urllib", "gzip", "zipfile", "decimal", "dataclasses", "asyncio", "traceback",
                       "dlt", "duckdb", "httpx", "requests", "pandas", "numpy", "pyarrow", "polars", "boto3", "yaml"] {
            statements[module] = "import \(module)"
        }
        for (alias, module) in ["pd": "pandas", "np": "numpy", "pa": "pyarrow", "pl": "polars", "pq": "pyarrow.parquet"] {
            statements[alias] = "import \(module) as \(alias)"
        }
        for (name, module) in ["Path": "pathlib", "timezone": "datetime", "timedelta": "datetime", "date": "datetime",
                               "dataclass": "dataclasses", "Any": "typing", "Optional": "typing", "Iterator": "typing",
                               "Iterable": "typing", "defaultdict": "collections", "sleep": "time"] {
            statements[name] = "from \(module) import \(name)"
        }
        return statements
    }()
}
