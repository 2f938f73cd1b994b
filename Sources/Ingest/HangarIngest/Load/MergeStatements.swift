import DuckDB
import Foundation

/// The SQL that merges a root table and its child tables from staging into the dataset, run in
/// the package's transaction after every job is loaded into staging.
///
/// delete-insert: dedup staging on the primary key (`dedup_sort` picks the survivor, else the
/// row loaded last), delete destination rows — and, through `_dlt_root_id`, their child rows —
/// whose primary or merge key is staged, drop hard-deleted rows, insert the rest.
/// upsert: the same without dedup, refusing duplicate keys. insert-only: staged rows whose key
/// already exists are dropped; nothing is deleted. scd2: current rows (`_dlt_valid_to` NULL) that
/// the load does not hold retire at the load's time — with a merge key, only those whose key the
/// load holds — and staged rows that are not current already are inserted, valid from then, with
/// their child rows.
///
/// delete-insert without duplicate keys in the load and without hard deletes (the scheduled
/// re-fetch of a source, the common case) skips staging: the rows to replace are deleted by the
/// keys read from the root's parquet files before any job loads, and the jobs then load straight
/// into the destination (`rootFiles`). That spares writing and reading a staging copy of the load.
struct MergeStatements {
    let root: TableSchema
    /// Every descendant of `root` in the schema, parents before children.
    let descendants: [TableSchema]
    /// Tables of the family that exist in the destination (after migration).
    let existing: Set<String>
    let destination: (String) -> String
    let staging: (String) -> String

    /// The package's load id, a Unix time: when scd2 rows become valid or retire.
    var loadID = ""

    /// The family was empty before this package: jobs load straight into the destination and
    /// are deduplicated there, skipping the staging copy (a first load of a large table).
    var direct = false

    var settings: MergeSettings { root.merge ?? MergeSettings(strategy: .deleteInsert) }

    private var primaryKey: [String] { root.primaryKey }
    /// Rows are replaced by merge key when there is one, else by primary key.
    private var deleteKey: [String] { root.mergeKey.isEmpty ? root.primaryKey : root.mergeKey }

    private func tuple(_ columns: [String], prefix: String = "") -> String {
        "(" + columns.map { prefix + SystemTables.quote($0) }.joined(separator: ", ") + ")"
    }

    private var familyWithRootIDs: [TableSchema] {
        descendants.filter { existing.contains($0.name) && $0.column(named: "_dlt_root_id") != nil }
    }

    /// Statements to check before merging; each returns a count that must be zero.
    func checks() -> [(sql: String, failure: (Int) -> String)] {
        guard settings.strategy == .upsert, !primaryKey.isEmpty else { return [] }
        let key = tuple(primaryKey)
        let loaded = direct ? destination(root.name) : staging(root.name)
        return [("SELECT count(*) - count(DISTINCT \(key)) FROM \(loaded)", { count in
            "upsert into \(root.name) needs unique primary keys \(primaryKey.joined(separator: ", ")) within one load, but \(count) rows repeat a key; use delete-insert with dedup_sort to pick survivors"
        })]
    }

    func statements() -> [String] {
        if rootFiles != nil { return [] }
        if settings.strategy == .scd2 { return scd2Statements() }
        return direct ? directStatements() : stagedStatements()
    }

    private func scd2Statements() -> [String] {
        var sql: [String] = []
        let stagedRoot = staging(root.name), target = destination(root.name)
        // Load ids are decimal Unix times; anything else (never expected) falls back to now.
        let time = Double(loadID) != nil && loadID.allSatisfy({ $0.isNumber || $0 == "." }) ? "to_timestamp(\(loadID))" : "now()"
        // Identical rows of one load are one row.
        sql.append("""
            DELETE FROM \(stagedRoot) WHERE rowid IN (SELECT rowid FROM (
              SELECT rowid, row_number() OVER (PARTITION BY _dlt_id ORDER BY rowid DESC) AS survivor FROM \(stagedRoot)) WHERE survivor > 1)
            """)
        let exists = existing.contains(root.name)
        let current = "SELECT _dlt_id FROM \(target) WHERE _dlt_valid_to IS NULL"
        let new = exists ? "SELECT _dlt_id FROM \(stagedRoot) WHERE _dlt_id NOT IN (\(current))" : "SELECT _dlt_id FROM \(stagedRoot)"
        // Children first: whether their root is new is decided before the roots go in.
        for child in descendants where existing.contains(child.name) && staged.contains(child.name) {
            let filter = child.column(named: "_dlt_root_id") != nil ? " WHERE _dlt_root_id IN (\(new))" : ""
            sql.append("INSERT INTO \(destination(child.name)) BY NAME SELECT * FROM \(staging(child.name))\(filter)")
        }
        if exists {
            let scope = root.mergeKey.isEmpty ? "" : " AND \(tuple(root.mergeKey)) IN (SELECT \(tuple(root.mergeKey)) FROM \(stagedRoot))"
            sql.append("UPDATE \(target) SET _dlt_valid_to = \(time) WHERE _dlt_valid_to IS NULL AND _dlt_id NOT IN (SELECT _dlt_id FROM \(stagedRoot))\(scope)")
        }
        sql.append("""
            INSERT INTO \(target) BY NAME SELECT * REPLACE (\(time) AS _dlt_valid_from, NULL::TIMESTAMPTZ AS _dlt_valid_to)
            FROM \(stagedRoot) WHERE _dlt_id IN (\(new))
            """)
        for table in [root] + descendants where staged.contains(table.name) {
            sql.append("DROP TABLE \(staging(table.name))")
        }
        return sql
    }

    private func dedup(_ table: String) -> String {
        let order = settings.dedupSort.map { SystemTables.quote($0.column) + ($0.order == .descending ? " DESC" : " ASC") + ", " } ?? ""
        return """
            DELETE FROM \(table) WHERE rowid IN (SELECT rowid FROM (
              SELECT rowid, row_number() OVER (PARTITION BY \(primaryKey.map(SystemTables.quote).joined(separator: ", ")) ORDER BY \(order)rowid DESC) AS survivor
              FROM \(table)) WHERE survivor > 1)
            """
    }

    private var hardDeleteCondition: String? {
        guard let hardDelete = settings.hardDelete, root.column(named: hardDelete) != nil else { return nil }
        let column = SystemTables.quote(hardDelete)
        return root.column(named: hardDelete)?.dataType == .bool ? "\(column) IS TRUE" : "\(column) IS NOT NULL"
    }

    /// The rows are already in the (previously empty) destination: only duplicates and
    /// hard-deleted rows go; the child rows they leave behind go in `orphanStatements`.
    private func directStatements() -> [String] {
        var sql: [String] = []
        if settings.strategy == .deleteInsert, !primaryKey.isEmpty { sql.append(dedup(destination(root.name))) }
        if let condition = hardDeleteCondition { sql.append("DELETE FROM \(destination(root.name)) WHERE \(condition)") }
        return sql
    }

    /// Deletes the child rows whose root `statements` deleted, to run only when they deleted
    /// some: a load straight into an empty family leaves orphans only then, and looking for them
    /// scans every child row.
    func orphanStatements() -> [String] {
        guard direct else { return [] }
        return familyWithRootIDs.map {
            "DELETE FROM \(destination($0.name)) WHERE _dlt_root_id NOT IN (SELECT _dlt_id FROM \(destination(root.name)))"
        }
    }

    private func stagedStatements() -> [String] {
        var sql: [String] = []
        let stagedRoot = staging(root.name)
        if settings.strategy == .deleteInsert, !primaryKey.isEmpty { sql.append(dedup(stagedRoot)) }
        if settings.strategy == .insertOnly, !primaryKey.isEmpty, existing.contains(root.name) {
            sql.append("DELETE FROM \(stagedRoot) WHERE \(tuple(primaryKey)) IN (SELECT \(tuple(primaryKey)) FROM \(destination(root.name)))")
        }
        if settings.strategy != .insertOnly, !deleteKey.isEmpty, existing.contains(root.name) {
            let matched = "SELECT _dlt_id FROM \(destination(root.name)) WHERE \(tuple(deleteKey)) IN (SELECT \(tuple(deleteKey)) FROM \(stagedRoot))"
            for child in familyWithRootIDs {
                sql.append("DELETE FROM \(destination(child.name)) WHERE _dlt_root_id IN (\(matched))")
            }
            sql.append("DELETE FROM \(destination(root.name)) WHERE \(tuple(deleteKey)) IN (SELECT \(tuple(deleteKey)) FROM \(stagedRoot))")
        }
        if let condition = hardDeleteCondition { sql.append("DELETE FROM \(stagedRoot) WHERE \(condition)") }
        sql.append("INSERT INTO \(destination(root.name)) BY NAME SELECT * FROM \(stagedRoot)")
        for child in descendants where existing.contains(child.name) && staged.contains(child.name) {
            let filter = child.column(named: "_dlt_root_id") != nil ? " WHERE _dlt_root_id IN (SELECT _dlt_id FROM \(stagedRoot))" : ""
            sql.append("INSERT INTO \(destination(child.name)) BY NAME SELECT * FROM \(staging(child.name))\(filter)")
        }
        for table in [root] + descendants where staged.contains(table.name) {
            sql.append("DROP TABLE \(staging(table.name))")
        }
        return sql
    }

    /// Tables that have a staging copy.
    var staged: Set<String> = []

    /// The root's parquet job files when the family merges from them (see above): nothing is
    /// staged, `preloadStatements` replace, `statements` has nothing left to do.
    var rootFiles: [URL]?

    /// Whether the family could merge from its root's files: it depends on the load's keys too
    /// (`duplicateKeysSQL`).
    var canMergeFromFiles: Bool {
        settings.strategy == .deleteInsert && hardDeleteCondition == nil && !deleteKey.isEmpty && existing.contains(root.name) && !direct
    }

    private func readFiles(_ files: [URL]) -> String {
        "read_parquet([" + files.map { quoteLiteral($0.path) }.joined(separator: ", ") + "], union_by_name = true)"
    }

    /// Counts the rows of `files` that repeat a primary key, which only staging deduplicates;
    /// nil when the table has no primary key (nothing is deduplicated then).
    func duplicateKeysSQL(_ files: [URL]) -> String? {
        guard !primaryKey.isEmpty else { return nil }
        let key = tuple(primaryKey)
        return "SELECT count(*) - count(DISTINCT \(key)) FROM \(readFiles(files))"
    }

    /// Deletes the rows the load replaces, and their child rows, by the keys in the root's files;
    /// run before the family's jobs load.
    func preloadStatements() -> [String] {
        guard let rootFiles else { return [] }
        let keys = "SELECT \(tuple(deleteKey)) FROM \(readFiles(rootFiles))"
        let matched = "SELECT _dlt_id FROM \(destination(root.name)) WHERE \(tuple(deleteKey)) IN (\(keys))"
        return familyWithRootIDs.map { "DELETE FROM \(destination($0.name)) WHERE _dlt_root_id IN (\(matched))" }
            + ["DELETE FROM \(destination(root.name)) WHERE \(tuple(deleteKey)) IN (\(keys))"]
    }
}
