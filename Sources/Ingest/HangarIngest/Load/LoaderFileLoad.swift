import DuckDB
import Foundation

/// Loads loader files into existing DuckDB tables, matching columns by name: the table may have
/// more columns than the file (they get NULL, or their default) and in any order.
///
/// The SQL per format:
/// - parquet: `INSERT INTO t BY NAME SELECT * FROM read_parquet('file')`
/// - jsonl: `INSERT INTO t BY NAME SELECT * REPLACE (…) FROM read_json('file',
///   format = 'newline_delimited', columns = {…})`, every column typed so DuckDB guesses
///   nothing; binary is decoded from base64 and JSON text cast to JSON in the REPLACE.
/// - insert_values: the file's statements, `tablePlaceholder` replaced by the table.
///
/// Nothing here begins or ends a transaction: the caller wraps a package's loads in one.
public enum LoaderFileLoad {
    /// Stands for the destination table in insert_values files: each statement starts with
    /// `INSERT INTO {{table}}`, and only that occurrence is replaced.
    public static let tablePlaceholder = InsertValuesScript.tablePlaceholder

    /// DuckDB's default `maximum_object_size` for `read_json`: no line of a smaller file can be
    /// longer, so only larger files are measured.
    private static let defaultMaximumObjectSize = 16 * 1024 * 1024

    /// The SQL that loads `file` into `qualifiedTable` (already quoted, like `"dataset"."table"`).
    /// For insert_values this reads the file and returns all of its statements.
    public static func sql(for file: LoaderFile, into qualifiedTable: String) throws -> String {
        try requireFile(file)
        switch file.format {
        case .parquet: return parquetSQL(file, into: qualifiedTable)
        case .jsonl: return try jsonLinesSQL(file, into: qualifiedTable)
        case .insertValues:
            var statements: [String] = []
            try InsertValuesScript.forEachStatement(in: try contents(of: file), url: file.url, qualifiedTable: qualifiedTable) { sql, _ in
                statements.append(sql)
            }
            return statements.joined(separator: "\n")
        }
    }

    /// Loads `file` into `qualifiedTable` (already quoted, like `"dataset"."table"`) on
    /// `connection`. A missing file is an `IngestError` (`.loaderFile`); DuckDB's errors keep
    /// their kind and have the file's path put in front of their message.
    public static func load(_ file: LoaderFile, into qualifiedTable: String, on connection: Connection) throws {
        try requireFile(file)
        switch file.format {
        case .parquet:
            try execute(parquetSQL(file, into: qualifiedTable), file: file, on: connection)
        case .jsonl:
            try execute(try jsonLinesSQL(file, into: qualifiedTable), file: file, on: connection)
        case .insertValues:
            try InsertValuesScript.forEachStatement(in: try contents(of: file), url: file.url, qualifiedTable: qualifiedTable) { sql, number in
                // The statement itself can be megabytes; the error keeps its start.
                try execute(sql, file: file, on: connection, context: "statement \(number)", reportedSQL: sql.count > 200 ? sql.prefix(200) + "…" : sql)
            }
        }
    }

    /// Loads parquet files of one table with one statement, in file order; files may differ in
    /// their columns (`union_by_name`).
    public static func loadParquet(_ files: [URL], into qualifiedTable: String, on connection: Connection) throws {
        for url in files where !FileManager.default.fileExists(atPath: url.path) {
            throw IngestError(.loaderFile, message: "the loader file \(url.path) (parquet) is missing")
        }
        let list = files.map { quoteLiteral($0.path) }.joined(separator: ", ")
        try connection.execute("INSERT INTO \(qualifiedTable) BY NAME SELECT * FROM read_parquet([\(list)], union_by_name = true)")
    }

    private static func parquetSQL(_ file: LoaderFile, into table: String) -> String {
        "INSERT INTO \(table) BY NAME SELECT * FROM read_parquet(\(quoteLiteral(file.url.path)))"
    }

    private static func jsonLinesSQL(_ file: LoaderFile, into table: String) throws -> String {
        let types = file.columns.map { column in
            "\(quoteLiteral(column.name)): \(quoteLiteral(jsonReadType(column.dataType)))"
        }
        let replacements = file.columns.compactMap { column -> String? in
            let name = quoteIdentifier(column.name)
            switch column.dataType {
            case .binary: return "from_base64(\(name)) AS \(name)"
            case .json: return "CAST(\(name) AS JSON) AS \(name)"
            default: return nil
            }
        }
        let select = replacements.isEmpty ? "*" : "* REPLACE (\(replacements.joined(separator: ", ")))"
        var options = "format = 'newline_delimited', columns = {\(types.joined(separator: ", "))}"
        if let longest = try longestLine(of: file), longest >= defaultMaximumObjectSize {
            options += ", maximum_object_size = \(longest + 1024)"
        }
        return "INSERT INTO \(table) BY NAME SELECT \(select) FROM read_json(\(quoteLiteral(file.url.path)), \(options))"
    }

    /// How `read_json` reads each column of a jsonl file (see `JSONLinesFileWriter`).
    private static func jsonReadType(_ type: DataType) -> String {
        switch type {
        case .binary, .json: "VARCHAR"
        default: type.duckDBType
        }
    }

    /// The length of the file's longest line, when the file is large enough for one line to
    /// pass `read_json`'s default object size limit.
    private static func longestLine(of file: LoaderFile) throws -> Int? {
        let size = (try? FileManager.default.attributesOfItem(atPath: file.url.path))?[.size] as? Int ?? 0
        guard size >= defaultMaximumObjectSize else { return nil }
        return try contents(of: file).withUnsafeBytes { raw in
            var longest = 0, start = 0
            while start < raw.count {
                let rest = UnsafeRawBufferPointer(rebasing: raw[start...])
                let end = rest.firstIndex(of: UInt8(ascii: "\n")).map { start + $0 } ?? raw.count
                longest = max(longest, end - start)
                start = end + 1
            }
            return longest
        }
    }

    private static func requireFile(_ file: LoaderFile) throws {
        guard FileManager.default.fileExists(atPath: file.url.path) else {
            throw IngestError(.loaderFile, message: "the loader file \(file.url.path) (\(file.table), \(file.format.rawValue)) is missing")
        }
    }

    private static func contents(of file: LoaderFile) throws -> Data {
        do {
            return try Data(contentsOf: file.url, options: .alwaysMapped)
        } catch {
            throw IngestError(.loaderFile, message: "could not read the loader file \(file.url.path): \(error.localizedDescription)")
        }
    }

    private static func execute(_ sql: String, file: LoaderFile, on connection: Connection,
                                context: String? = nil, reportedSQL: String? = nil) throws {
        do {
            try connection.execute(sql)
        } catch let error as DuckDBError {
            let place = [file.url.path, context].compactMap { $0 }.joined(separator: ", ")
            throw DuckDBError(error.kind, message: "loading \(place): \(error.message)", sql: reportedSQL ?? error.sql)
        }
    }
}
