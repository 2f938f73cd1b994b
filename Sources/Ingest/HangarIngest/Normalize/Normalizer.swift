import Foundation

/// Turns source rows into table rows, dlt's relational way: names normalized, nested objects
/// flattened into `parent__child` columns, lists into child tables linked by `_dlt_parent_id`
/// and `_dlt_list_idx`, the schema evolving as data brings new columns and types.
///
/// Rows accumulate per table, column by column, and are handed to `emit` in batches.
final class Normalizer {
    private(set) var schema: Schema
    private let naming: NamingConvention
    private let evolution = SchemaEvolution()
    private let loadID: String
    private let batchRows: Int
    private let emit: (TableBatch) throws -> Void
    private var buffers: [String: TableBuffer] = [:]
    private var tables: [String: TableSchema] = [:]
    /// Schema changes in the order they happened, for `schema_updates.json`.
    private(set) var changes: [SchemaChange] = []
    private(set) var rowCounts: [String: Int] = [:]
    /// Rows and values a schema contract dropped, per table.
    private(set) var discardedRows: [String: Int] = [:]
    private(set) var discardedValues: [String: Int] = [:]
    private var rootIDs: RowIDGenerator
    /// Tables the current source row created: its own columns are part of creating them, so only
    /// the `tables` contract applies to them.
    private var createdThisRow: Set<String> = []

    init(schema: Schema, naming: NamingConvention, loadID: String, batchRows: Int = 50_000,
         emit: @escaping (TableBatch) throws -> Void) {
        self.schema = schema
        self.naming = naming
        self.loadID = loadID
        self.batchRows = batchRows
        self.emit = emit
        rootIDs = RowIDGenerator()
        for table in schema.tables { tables[table.name] = table }
    }

    /// Normalizes one source row of `resource` into its root table and any child tables.
    func normalize(_ row: IngestValue, resource: String, hints: TableHints, position: Int) throws {
        guard case .object(let fields) = row else {
            throw IngestError(.invalidData, message: "resource \(resource), row \(position): expected an object, found \(describe(row))")
        }
        let tableName = try normalizedTableName(hints.table, resource: resource)
        let contract = hints.schemaContract ?? .evolve
        createdThisRow.removeAll(keepingCapacity: true)
        guard contract.discardsRows else {
            try normalizeRow(fields, tableName: tableName, resource: resource, hints: hints, contract: contract, position: position)
            try handOverFullBuffers()
            return
        }
        // A contract may drop the row halfway through, after some of it was buffered: remember
        // where everything stood, to put it back.
        let snapshot = Snapshot(schema: schema, tables: tables, changes: changes.count, rowCounts: rowCounts,
                                buffers: buffers.mapValues { ($0.rowCount, $0.columns.count) }, synced: syncedRevisions)
        do {
            try normalizeRow(fields, tableName: tableName, resource: resource, hints: hints, contract: contract, position: position)
        } catch let discard as DiscardRow {
            schema = snapshot.schema
            tables = snapshot.tables
            changes.removeLast(changes.count - snapshot.changes)
            rowCounts = snapshot.rowCounts
            syncedRevisions = snapshot.synced
            for name in Array(buffers.keys) {
                if let (rows, columns) = snapshot.buffers[name] { buffers[name]!.restore(rowCount: rows, columnCount: columns) } else { buffers[name] = nil }
            }
            // Restored buffers may have lost columns, so remembered positions are void.
            shapes.removeAll()
            discardedRows[discard.table, default: 0] += 1
        }
        try handOverFullBuffers()
    }

    private struct Snapshot {
        let schema: Schema
        let tables: [String: TableSchema]
        let changes: Int
        let rowCounts: [String: Int]
        let buffers: [String: (Int, Int)]
        let synced: [String: Int]
    }

    /// Thrown inside a row that a contract drops whole.
    private struct DiscardRow: Error { let table: String }

    /// Batches go out only between source rows, so a dropped row never reached a writer.
    private func handOverFullBuffers() throws {
        for name in buffers.keys where buffers[name]!.rowCount >= batchRows {
            try emit(buffers[name]!.takeBatch())
        }
    }

    private func normalizeRow(_ fields: [(key: String, value: IngestValue)], tableName: String, resource: String, hints: TableHints,
                              contract: SchemaContract, position: Int) throws {
        var root = try rootTable(tableName, resource: resource, hints: hints, contract: contract, position: position)
        let keys = try keyColumns(hints)
        var context = RowContext(resource: resource, position: position, maxNesting: hints.maxTableNesting ?? Int.max,
                                 keyColumns: Set(keys.primary))
        context.contract = contract
        // Upserts address rows by key, so the row id derives from the key; others are random.
        let upsert = hints.writeDisposition == .merge && hints.mergeStrategy == .upsert
        writesRootIDs = hints.writeDisposition == .merge
        var rowID = upsert ? "" : rootIDs.next()
        context.rootID = rowID
        try place(fields, prefix: "", depth: 0, table: &root, tableName: tableName, rowID: rowID, context: &context)
        for column in keys.primary {
            guard context.setColumns.contains(column) else {
                throw IngestError(.invalidData, message: "resource \(resource), table \(tableName), row \(position): the primary key column \(column) is missing or null")
            }
            root.markPrimaryKey(column)
        }
        for column in keys.merge where root.column(named: column) != nil { root.markMergeKey(column) }
        if upsert {
            rowID = StableHash.base64Digest(of: keys.primary.map { context.keyValues[$0] ?? "" }.joined(separator: "\u{1F}"), bytes: 10)
            context.rootID = rowID
            context.children = []
            context.setColumns = []
            // The children need the key-derived id, known only now: place the row's nested lists again.
            try placeChildren(fields, prefix: "", depth: 0, tableName: tableName, rowID: rowID, context: &context)
        }
        try setSystem("_dlt_load_id", .string(loadID), table: &root, tableName: tableName)
        try setSystem("_dlt_id", .string(rowID), table: &root, tableName: tableName)
        try endRow(tableName, table: root)
        for child in context.children { try child() }
    }

    /// Hands every buffered row over and returns the final schema.
    func finish() throws -> Schema {
        for name in buffers.keys.sorted() where (buffers[name]?.rowCount ?? 0) > 0 {
            try emit(buffers[name]!.takeBatch())
        }
        return schema
    }

    // MARK: - Rows

    private struct RowContext {
        let resource: String
        let position: Int
        let maxNesting: Int
        var keyColumns: Set<String> = []
        var contract = SchemaContract.evolve
        /// The root row's `_dlt_id`, written to child rows as `_dlt_root_id` for merge tables.
        var rootID = ""
        var keyValues: [String: String] = [:]
        var setColumns: Set<String> = []
        /// Child rows are written after their parent row is complete, in order.
        var children: [() throws -> Void] = []
    }

    private func place(_ fields: [(key: String, value: IngestValue)], prefix: String, sourcePrefix: String = "", depth: Int,
                       table: inout TableSchema, tableName: String, rowID: String, context: inout RowContext) throws {
        // The buffer leaves the dictionary while the object is placed: one lookup per object
        // instead of one per value, and no copy-on-write.
        var buffer = buffers.removeValue(forKey: tableName) ?? TableBuffer(table: tableName)
        defer { buffers[tableName] = buffer }
        try place(fields, prefix: prefix, sourcePrefix: sourcePrefix, depth: depth, table: &table, buffer: &buffer,
                  tableName: tableName, rowID: rowID, context: &context)
    }

    private func place(_ fields: [(key: String, value: IngestValue)], prefix: String, sourcePrefix: String, depth: Int,
                       table: inout TableSchema, buffer: inout TableBuffer, tableName: String, rowID: String,
                       context: inout RowContext) throws {
        let shape = try shape(of: fields, prefix: prefix, sourcePrefix: sourcePrefix, tableName: tableName, context: context)
        let tracksKeys = !context.keyColumns.isEmpty
        for (index, field) in fields.enumerated() {
            let name = shape.names[index]
            switch field.value {
            case .object(let nested) where depth < context.maxNesting:
                let source = sourcePrefix.isEmpty ? field.key : sourcePrefix + "." + field.key
                try place(nested, prefix: name, sourcePrefix: source, depth: depth + 1, table: &table, buffer: &buffer,
                          tableName: tableName, rowID: rowID, context: &context)
            case .array(let items) where depth < context.maxNesting:
                scheduleChildRows(items, name: name, tableName: tableName, rowID: rowID, depth: depth, context: &context)
            default:
                // A value that fits the column it went to last time needs no schema work at all.
                let slot = shape.slots[index]
                if slot >= 0, !shape.isKey[index], slot < buffer.columnCount, buffer.appendExact(field.value, at: slot) { continue }
                guard try admit(field.value, column: name, table: table, tableName: tableName, context: context) else { continue }
                guard let placement = evolution.place(field.value, column: name, in: &table) else { continue }
                if let change = placement.change { changes.append(change) }
                buffer.set(placement.value, column: placement.columnSchema ?? table.column(named: placement.column)!)
                shape.slots[index] = buffer.index(of: name) ?? -1
                if tracksKeys, !field.value.isNullValue, context.keyColumns.contains(placement.column) {
                    context.setColumns.insert(placement.column)
                    context.keyValues[placement.column] = JSONText.encode(placement.value)
                }
            }
        }
    }


    /// Column names of an object's keys. Rows of one source mostly share their objects' key
    /// lists, so the names (and the check that no two keys normalize to one name) are worked out
    /// once per distinct key list and reused while it repeats, with where each value went last.
    private func shape(of fields: [(key: String, value: IngestValue)], prefix: String, sourcePrefix: String, tableName: String,
                       context: RowContext) throws -> Shape {
        let site = ShapeSite(table: tableName, prefix: prefix)
        if let cached = shapes[site], cached.keys.count == fields.count,
           zip(cached.keys, fields).allSatisfy({ $0 == $1.key }) {
            if cached.keyColumns != context.keyColumns { cached.markKeys(context.keyColumns) }
            return cached
        }
        var names: [String] = []
        names.reserveCapacity(fields.count)
        var sources: [String: String] = [:]
        for field in fields {
            let name = try columnName(field.key, prefix: prefix, table: tableName, context: context)
            let source = sourcePrefix.isEmpty ? field.key : sourcePrefix + "." + field.key
            if let other = sources.updateValue(source, forKey: name), other != source {
                throw IngestError(.invalidName, message: """
                    resource \(context.resource), table \(tableName), row \(context.position): the keys "\(other)" and "\(source)" \
                    both normalize to the column \(name); rename one of them in the source
                    """)
            }
            names.append(name)
        }
        let shape = Shape(keys: fields.map(\.key), names: names)
        shape.markKeys(context.keyColumns)
        shapes[site] = shape
        return shape
    }

    private struct ShapeSite: Hashable {
        let table: String
        let prefix: String
    }

    /// One object key list: its column names, the buffer column each value went to last (-1:
    /// not yet), and which are key columns (their values are recorded, so they take the slow path).
    private final class Shape {
        let keys: [String]
        let names: [String]
        var slots: [Int]
        private(set) var isKey: [Bool]
        private(set) var keyColumns: Set<String> = []

        init(keys: [String], names: [String]) {
            self.keys = keys
            self.names = names
            slots = Array(repeating: -1, count: names.count)
            isKey = Array(repeating: false, count: names.count)
        }

        func markKeys(_ keys: Set<String>) {
            keyColumns = keys
            isKey = names.map { keys.contains($0) }
        }
    }

    private var shapes: [ShapeSite: Shape] = [:]


    private func scheduleChildRows(_ items: [IngestValue], name: String, tableName: String, rowID: String, depth: Int,
                                   context: inout RowContext) {
        guard !rowID.isEmpty else { return }  // an upsert row's id is not known yet
        let childName = naming.makePath(tableName, name)
        let resource = context.resource, position = context.position, maxNesting = context.maxNesting, rootID = context.rootID
        let withRootID = writesRootIDs, contract = context.contract
        context.children.append { [unowned self] in
            try self.writeChildRows(items, table: childName, parent: tableName, parentID: rowID, depth: depth + 1, resource: resource,
                                    position: position, maxNesting: maxNesting, rootID: withRootID ? rootID : nil, contract: contract)
        }
    }

    /// Schedules only the child rows of a row whose columns are already placed.
    private func placeChildren(_ fields: [(key: String, value: IngestValue)], prefix: String, depth: Int, tableName: String,
                               rowID: String, context: inout RowContext) throws {
        for field in fields {
            let name = try columnName(field.key, prefix: prefix, table: tableName, context: context)
            switch field.value {
            case .object(let nested) where depth < context.maxNesting:
                try placeChildren(nested, prefix: name, depth: depth + 1, tableName: tableName, rowID: rowID, context: &context)
            case .array(let items) where depth < context.maxNesting:
                scheduleChildRows(items, name: name, tableName: tableName, rowID: rowID, depth: depth, context: &context)
            default: continue
            }
        }
    }

    /// Merge tables give child rows their root row's id, so children follow their root on delete.
    private var writesRootIDs = false

    private func writeChildRows(_ items: [IngestValue], table childName: String, parent: String, parentID: String, depth: Int,
                                resource: String, position: Int, maxNesting: Int, rootID: String?, contract: SchemaContract) throws {
        guard !items.isEmpty else { return }
        var child = try childTable(childName, parent: parent, resource: resource, contract: contract, position: position)
        for (index, item) in items.enumerated() {
            let rowID = RowIDGenerator.childID(parentID: parentID, table: childName, index: index)
            var context = RowContext(resource: resource, position: position, maxNesting: maxNesting)
            context.rootID = rootID ?? ""
            context.contract = contract
            do {
                // The buffer leaves the dictionary for the whole child row (values and system
                // columns), as `place` does for an object; grandchildren go to other tables.
                var buffer = buffers.removeValue(forKey: childName) ?? TableBuffer(table: childName)
                defer { buffers[childName] = buffer }
                switch item {
                case .object(let fields):
                    try place(fields, prefix: "", sourcePrefix: "", depth: depth, table: &child, buffer: &buffer, tableName: childName,
                              rowID: rowID, context: &context)
                default:
                    try place([(key: "value", value: item)], prefix: "", sourcePrefix: "", depth: depth, table: &child, buffer: &buffer,
                              tableName: childName, rowID: rowID, context: &context)
                }
                setSystem("_dlt_parent_id", .string(parentID), table: &child, buffer: &buffer, tableName: childName)
                setSystem("_dlt_list_idx", .int(Int64(index)), table: &child, buffer: &buffer, tableName: childName)
                setSystem("_dlt_id", .string(rowID), table: &child, buffer: &buffer, tableName: childName)
                if let rootID { setSystem("_dlt_root_id", .string(rootID), table: &child, buffer: &buffer, tableName: childName) }
            }
            try endRow(childName, table: child)
            for grandchild in context.children { try grandchild() }
        }
    }

    private func setSystem(_ column: String, _ value: IngestValue, table: inout TableSchema, tableName: String) throws {
        var buffer = buffers.removeValue(forKey: tableName) ?? TableBuffer(table: tableName)
        defer { buffers[tableName] = buffer }
        setSystem(column, value, table: &table, buffer: &buffer, tableName: tableName)
    }

    private func setSystem(_ column: String, _ value: IngestValue, table: inout TableSchema, buffer: inout TableBuffer, tableName: String) {
        if let existing = table.column(named: column) { return buffer.set(value, column: existing) }
        let type: DataType = column == "_dlt_list_idx" ? .bigint : .text
        let system = ColumnSchema(name: column, dataType: type, nullable: false)
        table.add(system)
        changes.append(.addColumn(table: tableName, column: system))
        buffer.set(value, column: system)
    }


    private func endRow(_ tableName: String, table: TableSchema) throws {
        tables[tableName] = table
        buffers[tableName]!.endRow()
        rowCounts[tableName, default: 0] += 1
        if syncedRevisions[tableName] != table.revision {
            schema.update(table)
            syncedRevisions[tableName] = table.revision
        }
    }

    // MARK: - Schema contracts

    /// Whether `value` may go into `column` under the row's contract; throws to fail the run or
    /// to drop the row, returns false to drop just the value.
    private func admit(_ value: IngestValue, column: String, table: TableSchema, tableName: String, context: RowContext) throws -> Bool {
        guard context.contract != .evolve, !createdThisRow.contains(tableName), let type = value.inferredType else { return true }
        let entity: String, mode: SchemaContract.Mode, reason: String
        if let existing = table.column(named: column) {
            guard evolution.coerce(value, to: existing.dataType) == nil,
                  table.column(named: column + "__v_" + type.rawValue) == nil else { return true }
            (entity, mode) = ("data_type", context.contract.dataType)
            reason = "a \(type.rawValue) value does not fit the \(existing.dataType.rawValue) column \(column)"
        } else {
            (entity, mode) = ("columns", context.contract.columns)
            reason = "the column \(column) is new"
        }
        switch mode {
        case .evolve: return true
        case .discardValue:
            discardedValues[tableName, default: 0] += 1
            return false
        case .discardRow: throw DiscardRow(table: tableName)
        case .freeze:
            throw IngestError(.contractViolation, message: """
                schema contract violation: resource \(context.resource), table \(tableName), column \(column), row \(context.position): \
                \(reason) and \(entity) are frozen. Nothing was loaded; allow the change with schema contract \(entity)=evolve, or fix the data
                """)
        }
    }

    /// A table not in the schema yet may be created only as the `tables` contract allows.
    private func admitTable(_ name: String, resource: String, contract: SchemaContract, position: Int) throws {
        switch contract.tables {
        case .evolve: return
        case .discardRow, .discardValue: throw DiscardRow(table: name)
        case .freeze:
            throw IngestError(.contractViolation, message: """
                schema contract violation: resource \(resource), table \(name), row \(position): the table \(name) is new and tables are frozen. \
                Nothing was loaded; allow it with schema contract tables=evolve, or fix the data
                """)
        }
    }

    /// The revision of each table last copied into `schema`; comparing whole tables per row costs.
    private var syncedRevisions: [String: Int] = [:]

    // MARK: - Tables and names

    private func rootTable(_ name: String, resource: String, hints: TableHints, contract: SchemaContract, position: Int) throws -> TableSchema {
        if let existing = tables[name] {
            let merge = try mergeSettings(hints)
            if existing.writeDisposition != hints.writeDisposition || existing.resource != resource || existing.merge != merge {
                var updated = existing
                updated.writeDisposition = hints.writeDisposition
                updated.resource = resource
                updated.merge = merge
                tables[name] = updated
                return updated
            }
            return existing
        }
        try admitTable(name, resource: resource, contract: contract, position: position)
        createdThisRow.insert(name)
        var table = TableSchema(name: name, writeDisposition: hints.writeDisposition, resource: resource)
        table.merge = try mergeSettings(hints)
        for hint in hints.columns {
            let column = try naming.normalizePath(hint.name)
            guard let type = hint.dataType else { continue }
            let isKey = try hints.primaryKey.contains { try naming.normalizePath($0) == column }
            table.add(ColumnSchema(name: column, dataType: type, nullable: hint.nullable ?? !isKey, primaryKey: isKey))
        }
        tables[name] = table
        return table
    }

    private func mergeSettings(_ hints: TableHints) throws -> MergeSettings? {
        guard hints.writeDisposition == .merge else { return nil }
        return MergeSettings(strategy: hints.mergeStrategy,
                             dedupSort: try hints.dedupSort.map { DedupSort(column: try naming.normalizePath($0.column), order: $0.order) },
                             hardDelete: try hints.hardDelete.map { try naming.normalizePath($0) })
    }

    private var keyCache: [[String]: (primary: [String], merge: [String])] = [:]

    /// The hints' key columns, normalized (cached: they are needed for every row).
    private func keyColumns(_ hints: TableHints) throws -> (primary: [String], merge: [String]) {
        let cacheKey = hints.primaryKey + ["\u{0}"] + hints.mergeKey
        if let cached = keyCache[cacheKey] { return cached }
        let keys = (primary: try hints.primaryKey.map(naming.normalizePath), merge: try hints.mergeKey.map(naming.normalizePath))
        keyCache[cacheKey] = keys
        return keys
    }

    private func childTable(_ name: String, parent: String, resource: String, contract: SchemaContract, position: Int) throws -> TableSchema {
        if let existing = tables[name] { return existing }
        try admitTable(name, resource: resource, contract: contract, position: position)
        createdThisRow.insert(name)
        let table = TableSchema(name: name, parent: parent)
        tables[name] = table
        return table
    }

    private var nameCache: [String: String] = [:]

    private var tableNames: [String: String] = [:]

    private func normalizedTableName(_ name: String, resource: String) throws -> String {
        if let cached = tableNames[name] { return cached }
        do {
            let normalized = try naming.normalizePath(name)
            tableNames[name] = normalized
            return normalized
        } catch let error as IngestError {
            throw IngestError(error.code, message: "resource \(resource): table name: \(error.message)")
        }
    }

    private func columnName(_ key: String, prefix: String, table: String, context: RowContext) throws -> String {
        let normalized: String
        if let cached = nameCache[key] {
            normalized = cached
        } else {
            do {
                normalized = try naming.normalize(key)
            } catch let error as IngestError {
                throw IngestError(error.code, message: "resource \(context.resource), table \(table), row \(context.position): column \(error.message)")
            }
            nameCache[key] = normalized
        }
        return prefix.isEmpty ? normalized : naming.makePath(prefix, normalized)
    }

    private func describe(_ value: IngestValue) -> String {
        switch value {
        case .array: "a list"
        case .string(let s): "the string \"\(s.prefix(40))\""
        case .null: "null"
        default: JSONText.encode(value)
        }
    }
}

extension IngestValue {
    var isNullValue: Bool {
        if case .null = self { return true }
        return false
    }
}
