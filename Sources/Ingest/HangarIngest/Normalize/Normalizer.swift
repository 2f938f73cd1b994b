import Foundation

/// Turns source rows into table rows, dlt's relational way: names normalized, nested objects
/// flattened into `parent__child` columns, lists into child tables linked by `_dlt_parent_id`
/// and `_dlt_list_idx`, the schema evolving as data brings new columns and types.
///
/// Rows accumulate per table, column by column, and are handed to `emit` in batches.
///
/// Speed: everything a row needs that depends only on the shape of the data (normalized column
/// names, buffer positions, child tables, key columns, system-column positions) is worked out
/// the first time and kept with the table (`TableState`) and the object's key list (`Shape`),
/// so a row shaped like the one before costs no name normalization and no dictionary lookup.
final class Normalizer {
    private(set) var schema: Schema
    private let naming: NamingConvention
    private let evolution = SchemaEvolution()
    private let loadID: String
    private let batchRows: Int
    private let emit: (TableBatch) throws -> Void
    /// Every table this normalizer knows, by name, and in the order they appeared.
    private var states: [String: TableState] = [:]
    private var stateOrder: [TableState] = []
    /// Schema changes in the order they happened, for `schema_updates.json`.
    private(set) var changes: [SchemaChange] = []
    /// Rows normalized per table (tables that received rows).
    var rowCounts: [String: Int] {
        stateOrder.reduce(into: [:]) { counts, state in if state.rowCount > 0 { counts[state.name] = state.rowCount } }
    }
    /// Rows and values a schema contract dropped, per table.
    private(set) var discardedRows: [String: Int] = [:]
    private(set) var discardedValues: [String: Int] = [:]
    private var rootIDs: RowIDGenerator
    /// Tables the current source row created: its own columns are part of creating them, so only
    /// the `tables` contract applies to them.
    private var createdThisRow: Set<String> = []
    /// What each resource's rows need, worked out from its hints on its first row.
    private var plans: [String: RootPlan] = [:]
    /// Nested lists met while placing rows, written as child rows once their parent row is complete.
    private var pendingLists: [PendingList] = []

    /// Refuse data whose keys collide instead of loading the last one's value.
    let collidingKeysFail: Bool

    init(schema: Schema, naming: NamingConvention, loadID: String, batchRows: Int = 50_000, collidingKeysFail: Bool = false,
         emit: @escaping (TableBatch) throws -> Void) {
        self.collidingKeysFail = collidingKeysFail
        self.schema = schema
        self.naming = naming
        self.loadID = loadID
        self.batchRows = batchRows
        self.emit = emit
        rootIDs = RowIDGenerator()
        for table in schema.tables { addState(TableState(table)) }
    }

    /// Normalizes one source row of `resource` into its root table and any child tables.
    func normalize(_ row: IngestValue, resource: String, hints: TableHints, position: Int) throws {
        guard case .object(let fields) = row else {
            throw IngestError(.invalidData, message: "resource \(resource), row \(position): expected an object, found \(describe(row))")
        }
        let contract = hints.schemaContract ?? .evolve
        if !createdThisRow.isEmpty { createdThisRow.removeAll(keepingCapacity: true) }
        guard contract.discardsRows else {
            try normalizeRow(fields, resource: resource, hints: hints, contract: contract, position: position)
            try handOverFullBuffers()
            return
        }
        // A contract may drop the row halfway through, after some of it was buffered: remember
        // where everything stood, to put it back.
        let snapshot = Snapshot(schema: schema, changes: changes.count,
                                tables: states.mapValues { ($0.schema, $0.rowCount, $0.buffer.rowCount, $0.buffer.columnCount, $0.syncedRevision) })
        do {
            try normalizeRow(fields, resource: resource, hints: hints, contract: contract, position: position)
        } catch let discard as DiscardRow {
            schema = snapshot.schema
            changes.removeLast(changes.count - snapshot.changes)
            stateOrder.removeAll { snapshot.tables[$0.name] == nil }
            for name in Array(states.keys) {
                guard let (table, rowCount, bufferRows, bufferColumns, synced) = snapshot.tables[name] else {
                    states[name] = nil
                    continue
                }
                let state = states[name]!
                state.schema = table
                state.rowCount = rowCount
                state.syncedRevision = synced
                state.buffer.restore(rowCount: bufferRows, columnCount: bufferColumns)
                // Restored buffers may have lost columns, so remembered positions are void.
                state.forgetPositions()
            }
            plans.removeAll()
            pendingLists.removeAll()
            discardedRows[discard.table, default: 0] += 1
        }
        try handOverFullBuffers()
    }

    private struct Snapshot {
        let schema: Schema
        let changes: Int
        let tables: [String: (TableSchema, Int, Int, Int, Int)]
    }

    /// Thrown inside a row that a contract drops whole.
    private struct DiscardRow: Error { let table: String }

    /// Batches go out only between source rows, so a dropped row never reached a writer.
    private func handOverFullBuffers() throws {
        for state in stateOrder where state.buffer.rowCount >= batchRows {
            try emit(state.buffer.takeBatch())
        }
    }

    /// Hands every buffered row over and returns the final schema.
    func finish() throws -> Schema {
        for state in stateOrder.sorted(by: { $0.name < $1.name }) where state.buffer.rowCount > 0 {
            try emit(state.buffer.takeBatch())
        }
        return schema
    }

    // MARK: - Rows

    /// What a row needs to know while it is placed.
    private struct RowContext {
        let resource: String
        let position: Int
        let maxNesting: Int
        let contract: SchemaContract
    }

    /// A resource's root table and what its hints mean for every row.
    /// A class: it is fetched for every row, and a struct of this size costs a copy each time.
    private final class RootPlan {
        private var hints: TableHints
        let state: TableState
        let primaryKey: [String]
        let mergeKey: [String]
        /// Upserts address rows by key, so the row id derives from the key; scd2 rows by their
        /// values, so the id is a digest of them; others are random.
        let upsert: Bool
        let scd2: Bool
        /// Merge tables give child rows their root row's id, so children follow their root on delete.
        let writesRootIDs: Bool

        init(hints: TableHints, state: TableState, primaryKey: [String], mergeKey: [String], upsert: Bool, scd2: Bool, writesRootIDs: Bool) {
            self.hints = hints
            self.state = state
            self.primaryKey = primaryKey
            self.mergeKey = mergeKey
            self.upsert = upsert
            self.scd2 = scd2
            self.writesRootIDs = writesRootIDs
        }

        /// Asked for every row: compares in place, where reading `hints` out would copy them.
        func isFor(_ other: TableHints) -> Bool {
            withUnsafeMutablePointer(to: &hints) { $0.pointee == other }
        }
    }

    private func normalizeRow(_ fields: [(key: String, value: IngestValue)], resource: String, hints: TableHints,
                              contract: SchemaContract, position: Int) throws {
        let plan = try rootPlan(resource: resource, hints: hints, contract: contract, position: position)
        let root = plan.state
        let context = RowContext(resource: resource, position: position, maxNesting: hints.maxTableNesting ?? Int.max, contract: contract)
        let lists = pendingLists.count
        let known = root.rootShape
        let shape = try place(fields, shape: known, prefix: "", sourcePrefix: "", depth: 0, into: root, context: context)
        if shape !== known { root.rootShape = shape }
        try finishRow(plan: plan, context: context, lists: lists)
    }

    /// Normalizes the row at the parser's position straight from its bytes when it is shaped like
    /// the resource's rows before it: the keys of its objects in the same order, and every value
    /// fitting the column it went to last time. Returns false when it is not (or the row is the
    /// resource's first, or a contract watches it), with nothing consumed or kept, for the row to
    /// be read whole and passed to `normalize`. Skips building the row as an `IngestValue` tree,
    /// and freeing it: an allocation and a release per value.
    func normalizeInPlace(_ parser: inout JSONParser, resource: String, hints: TableHints, position: Int) throws -> Bool {
        guard (hints.schemaContract ?? .evolve) == .evolve, let plan = plans[resource], plan.isFor(hints),
              let shape = plan.state.rootShape else { return false }
        let root = plan.state
        let mark = parser.mark
        guard parser.beginObject() else { return false }
        let lists = pendingLists.count
        let maxNesting = hints.maxTableNesting ?? Int.max
        guard try placeInPlace(&parser, shape: shape, depth: 0, maxNesting: maxNesting, into: root) else {
            // Only values of this row were added, to existing columns of the root table: drop them.
            root.buffer.discardCurrentRow()
            pendingLists.removeSubrange(lists...)
            parser.rewind(to: mark)
            return false
        }
        if !createdThisRow.isEmpty { createdThisRow.removeAll(keepingCapacity: true) }
        let context = RowContext(resource: resource, position: position, maxNesting: maxNesting, contract: .evolve)
        try finishRow(plan: plan, context: context, lists: lists)
        try handOverFullBuffers()
        return true
    }

    /// `place` reading the object's members from the parser (its `{` consumed): false as soon as
    /// a key differs from the shape's or a value needs more than `appendExact`.
    private func placeInPlace(_ parser: inout JSONParser, shape: Shape, depth: Int, maxNesting: Int, into state: TableState) throws -> Bool {
        // Deep documents go the whole-row way, whose parser refuses them with a clear error; so
        // do objects with keys that collide, which that way counts.
        guard depth < JSONParser.maximumDepth / 2, shape.collisions.isEmpty else { return false }
        var index = 0
        // Keys are compared as the row's bytes: making a string of each would cost more than the
        // comparison. A row may stop short of the shape's keys, never go past them.
        let keyCount = shape.keys.count
        while let same = try index < keyCount
                ? parser.nextMemberKey(first: index == 0, is: shape.keyText + shape.keyOffsets[index], count: shape.keyOffsets[index + 1] - shape.keyOffsets[index])
                : parser.nextMemberKey(first: index == 0, is: nil, count: 0) {
            // The shape's keys are unique, so a repeated key in the row differs from the shape here.
            guard same, index < keyCount else { return false }
            let byte = parser.nextValueByte()
            if byte == UInt8(ascii: "{"), depth < maxNesting {
                guard let nested = shape.nested[index], parser.beginObject(),
                      try placeInPlace(&parser, shape: nested, depth: depth + 1, maxNesting: maxNesting, into: state) else { return false }
            } else if byte == UInt8(ascii: "["), depth < maxNesting {
                guard case .array(let items) = try parser.value(depth: depth + 1) else { return false }
                if !items.isEmpty {
                    pendingLists.append(PendingList(items: items, shape: shape, field: index, parent: state, depth: depth + 1))
                }
            } else if byte == JSONBytes.quote, case let slot = shape.slots[index], slot >= 0, slot < state.buffer.columnCount,
                      case let type = state.buffer.type(at: slot), type == .text || type == .timestamp {
                // Strings for text and timestamp columns are read where they lie: making a
                // `String` of each first cost an allocation and a UTF-8 check per value. Text that
                // is no timestamp goes the whole-row way to its variant column, as `appendExact`
                // would send it. nil: a typed value, read below.
                let placed = try parser.withStringValue { utf8 -> Bool in
                    if type == .text { return state.buffer.appendExactText(validUTF8: utf8, at: slot) }
                    guard let micros = ISO8601Timestamp.parse(utf8: utf8) else { return false }
                    return state.buffer.appendExact(.timestamp(micros), at: slot)
                }
                if placed == false { return false }
                if placed == nil {
                    guard state.buffer.appendExact(try parser.value(depth: depth + 1), at: slot) else { return false }
                }
            } else {
                let value = try parser.value(depth: depth + 1)
                let slot = shape.slots[index]
                if slot >= 0, slot < state.buffer.columnCount {
                    guard state.buffer.appendExact(value, at: slot) else { return false }
                } else {
                    // NULL for a column the schema does not have changes nothing, as on the whole-row way.
                    guard case .null = value, state.schema.column(named: shape.names[index]) == nil else { return false }
                }
            }
            index += 1
        }
        return true
    }

    /// The rest of a root row once its values are placed: keys, ids, system columns, child rows.
    private func finishRow(plan: RootPlan, context: RowContext, lists: Int) throws {
        let root = plan.state
        let resource = context.resource, position = context.position
        var rowID = plan.upsert || plan.scd2 ? "" : rootIDs.next()
        var keyValues: [String] = []
        for column in plan.primaryKey {
            guard let value = root.buffer.currentValueInPlace(of: column) else {
                throw IngestError(.invalidData, message: "resource \(resource), table \(root.name), row \(position): the primary key column \(column) is missing or null")
            }
            if plan.upsert { keyValues.append(JSONText.encode(value)) }
            root.schema.markPrimaryKey(column)
        }
        for column in plan.mergeKey where root.schema.column(named: column) != nil { root.schema.markMergeKey(column) }
        if plan.upsert { rowID = StableHash.base64Digest(of: keyValues.joined(separator: "\u{1F}"), bytes: 10) }
        if plan.scd2 { rowID = root.buffer.currentRowDigest() }
        setSystem(.loadID, .string(loadID), in: root)
        setSystem(.rowID, .string(rowID), in: root)
        endRow(root)
        try writePendingLists(from: lists, parentID: rowID, rootID: plan.writesRootIDs ? rowID : nil, context: context)
    }

    /// Places the fields of one object (the row itself, or an object nested in it) into the
    /// current row of `state`, returning the object's shape to reuse for the next row.
    /// `sourcePrefix` (the object's dotted path in the source row) is only built when a new
    /// shape needs it for an error message.
    private func place(_ fields: [(key: String, value: IngestValue)], shape cached: Shape?, prefix: String,
                       sourcePrefix: @autoclosure () -> String,
                       depth: Int, into state: TableState, context: RowContext) throws -> Shape {
        let shape: Shape
        if let cached, cached.matches(fields) {
            shape = cached
        } else {
            shape = try makeShape(of: fields, prefix: prefix, sourcePrefix: sourcePrefix(), table: state.name, context: context)
        }
        for collision in shape.collisions { collidingKeys[collision, default: 0] += 1 }
        for index in fields.indices where !shape.skipped[index] {
            switch fields[index].value {
            case .object(let nested) where depth < context.maxNesting:
                let known = shape.nested[index]
                let placed = try place(nested, shape: known, prefix: shape.names[index],
                                       sourcePrefix: Self.sourcePath(sourcePrefix(), fields[index].key),
                                       depth: depth + 1, into: state, context: context)
                if placed !== known { shape.nested[index] = placed }
            case .array(let items) where depth < context.maxNesting:
                guard !items.isEmpty else { continue }
                pendingLists.append(PendingList(items: items, shape: shape, field: index, parent: state, depth: depth + 1))
            default:
                // A value that fits the column it went to last time needs no schema work at all.
                let slot = shape.slots[index]
                if slot >= 0, slot < state.buffer.columnCount, state.buffer.appendExact(fields[index].value, at: slot) { continue }
                try placeWithSchema(fields[index].value, column: shape.names[index], into: state, context: context)
                shape.slots[index] = state.buffer.index(of: shape.names[index]) ?? -1
            }
        }
        return shape
    }

    private static func sourcePath(_ prefix: String, _ key: String) -> String {
        prefix.isEmpty ? key : prefix + "." + key
    }

    /// The slow path: the value evolves the schema (a new column, a widening, a variant) or is
    /// checked against the contract first.
    private func placeWithSchema(_ value: IngestValue, column name: String, into state: TableState, context: RowContext) throws {
        guard try admit(value, column: name, table: state.schema, tableName: state.name, context: context) else { return }
        guard let placement = evolution.place(value, column: name, in: &state.schema) else { return }
        if case .null = value {} else if state.buffer.hasValueInCurrentRow(placement.column) {
            try twoValuesForOneColumn(placement.column, table: state.name, context: context)
        }
        if let change = placement.change { changes.append(change) }
        state.buffer.set(placement.value, column: placement.columnSchema ?? state.schema.column(named: placement.column)!)
    }

    /// A column given two non-null values in one row: a key with `__` beside a nested object
    /// that has the same path (`data__custom` and `data: {custom: …}`), or a key repeated in
    /// one object. The last value loads (`TableBuffer.set`), counted for a warning like
    /// colliding keys; or the data is refused when `collidingKeysFail`.
    private func twoValuesForOneColumn(_ column: String, table: String, context: RowContext) throws {
        if collidingKeysFail {
            throw IngestError(.invalidName, message: """
                resource \(context.resource), table \(table), row \(context.position): two values for the column \(column) \
                (a key with "__" and a nested object's field of the same path, or a repeated key); rename one of them in the \
                source (or let the last value load, as dlt does: PipelineOptions.collidingKeysFail = false, hangar ingest without \
                --colliding-keys-fail)
                """)
        }
        collidingKeys["table \(table): two values for the column \(column) (a key with \"__\" and a nested object's field of the same path, or a repeated key)", default: 0] += 1
    }

    /// Column names of an object's keys, checked once per distinct key list. Keys that normalize
    /// to one name (`blockHash` and `block_hash`) load as dlt loads them, the last one's value
    /// in the column, and are counted for a warning; or refuse the data when
    /// `collidingKeysFail`.
    private func makeShape(of fields: [(key: String, value: IngestValue)], prefix: String, sourcePrefix: String, table: String,
                           context: RowContext) throws -> Shape {
        var names: [String] = []
        names.reserveCapacity(fields.count)
        var sources: [String: (source: String, index: Int)] = [:]
        var skipped = Array(repeating: false, count: fields.count)
        var collisions: [String] = []
        // A key is a path, as in dlt: `data__custom__goes` stays so.
        for (index, field) in fields.enumerated() {
            var name = try columnName(field.key, prefix: "", table: table, context: context)
            if !prefix.isEmpty { name = naming.makePath(prefix, name) }
            let source = sourcePrefix.isEmpty ? field.key : sourcePrefix + "." + field.key
            if let other = sources.updateValue((source, index), forKey: name), other.source != source {
                if collidingKeysFail {
                    throw IngestError(.invalidName, message: """
                        resource \(context.resource), table \(table), row \(context.position): the keys "\(other.source)" and "\(source)" \
                        both normalize to the column \(name); rename one of them in the source (or let the last one's value load, \
                        as dlt does: PipelineOptions.collidingKeysFail = false, hangar ingest without --colliding-keys-fail)
                        """)
                }
                skipped[other.index] = true
                collisions.append("table \(table): the keys \"\(other.source)\" and \"\(source)\" both normalize to the column \(name)")
            }
            names.append(name)
        }
        let shape = Shape(keys: fields.map(\.key), names: names)
        shape.skipped = skipped
        shape.collisions = collisions
        return shape
    }

    /// Rows whose keys collided, by what collided; the pipeline warns of each.
    private(set) var collidingKeys: [String: Int] = [:]

    /// The warnings of `collidingKeys`, one per collision.
    static func collisionWarnings(_ counts: [String: Int]) -> [String] {
        counts.keys.sorted().map { description in
            let rows = counts[description]!
            return "\(description) in \(rows) row\(rows == 1 ? "" : "s"); the last key's value was loaded, as dlt loads it (set collidingKeysFail, or hangar ingest --colliding-keys-fail, to refuse such data instead)"
        }
    }

    /// A non-empty nested list waiting for its parent row to be complete.
    private struct PendingList {
        let items: [IngestValue]
        let shape: Shape
        let field: Int
        let parent: TableState
        let depth: Int
    }

    /// Writes the child rows of the lists placed since `start` (the lists of one parent row),
    /// each followed by its own children, and forgets them.
    private func writePendingLists(from start: Int, parentID: String, rootID: String?, context: RowContext) throws {
        var index = start
        while index < pendingLists.count {
            let list = pendingLists[index]
            try writeChildRows(list, parentID: parentID, rootID: rootID, context: context)
            index += 1
        }
        pendingLists.removeSubrange(start...)
    }

    private func writeChildRows(_ list: PendingList, parentID: String, rootID: String?, context: RowContext) throws {
        let child = try childState(of: list, context: context)
        for (index, item) in list.items.enumerated() {
            let rowID = RowIDGenerator.childID(parentID: parentID, table: child.name, index: index)
            let lists = pendingLists.count
            switch item {
            case .object(let fields):
                child.rootShape = try place(fields, shape: child.rootShape, prefix: "", sourcePrefix: "", depth: list.depth,
                                            into: child, context: context)
            case .array, .null:
                child.valueShape = try place([(key: "value", value: item)], shape: child.valueShape, prefix: "", sourcePrefix: "",
                                             depth: list.depth, into: child, context: context)
            default:
                // A list of scalars: one `value` column, placed without building an object.
                let shape = try child.valueShape ?? makeShape(of: [(key: "value", value: item)], prefix: "", sourcePrefix: "",
                                                               table: child.name, context: context)
                child.valueShape = shape
                let slot = shape.slots[0]
                if !(slot >= 0 && slot < child.buffer.columnCount && child.buffer.appendExact(item, at: slot)) {
                    try placeWithSchema(item, column: shape.names[0], into: child, context: context)
                    shape.slots[0] = child.buffer.index(of: shape.names[0]) ?? -1
                }
            }
            setSystem(.parentID, .string(parentID), in: child)
            setSystem(.listIndex, .int(Int64(index)), in: child)
            setSystem(.rowID, .string(rowID), in: child)
            if let rootID { setSystem(.rootID, .string(rootID), in: child) }
            endRow(child)
            try writePendingLists(from: lists, parentID: rowID, rootID: rootID, context: context)
        }
    }

    /// The child table a list goes to, remembered by the field that holds the list.
    private func childState(of list: PendingList, context: RowContext) throws -> TableState {
        if let known = list.shape.children[list.field] { return known }
        let name = naming.makePath(list.parent.name, list.shape.names[list.field])
        let state: TableState
        if let existing = states[name] {
            state = existing
        } else {
            try admitTable(name, resource: context.resource, contract: context.contract, position: context.position)
            createdThisRow.insert(name)
            state = TableState(TableSchema(name: name, parent: list.parent.name))
            addState(state)
        }
        list.shape.children[list.field] = state
        return state
    }

    private func setSystem(_ column: SystemColumn, _ value: IngestValue, in state: TableState) {
        let slot = state.systemSlots[column.rawValue]
        if slot >= 0, slot < state.buffer.columnCount, state.buffer.appendExact(value, at: slot) { return }
        let name = column.name
        if let existing = state.schema.column(named: name) {
            state.buffer.set(value, column: existing)
        } else {
            let system = ColumnSchema(name: name, dataType: column == .listIndex ? .bigint : .text, nullable: false)
            state.schema.add(system)
            changes.append(.addColumn(table: state.name, column: system))
            state.buffer.set(value, column: system)
        }
        state.systemSlots[column.rawValue] = state.buffer.index(of: name) ?? -1
    }

    private func endRow(_ state: TableState) {
        state.buffer.endRow()
        state.rowCount += 1
        if state.syncedRevision != state.schema.revision {
            schema.update(state.schema)
            state.syncedRevision = state.schema.revision
        }
    }

    private func addState(_ state: TableState) {
        states[state.name] = state
        stateOrder.append(state)
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

    // MARK: - Tables and names

    /// The resource's plan, made on its first row (and again if its hints change): the root
    /// table, created if the contract allows, with the resource's disposition and merge settings.
    private func rootPlan(resource: String, hints: TableHints, contract: SchemaContract, position: Int) throws -> RootPlan {
        if let plan = plans[resource], plan.isFor(hints) { return plan }
        let name = try normalizedTableName(hints.table, resource: resource)
        let merge = try mergeSettings(hints)
        let state: TableState
        if let existing = states[name] {
            state = existing
            if state.schema.writeDisposition != hints.writeDisposition || state.schema.resource != resource || state.schema.merge != merge {
                state.schema.writeDisposition = hints.writeDisposition
                state.schema.resource = resource
                state.schema.merge = merge
            }
        } else {
            try admitTable(name, resource: resource, contract: contract, position: position)
            createdThisRow.insert(name)
            var table = TableSchema(name: name, writeDisposition: hints.writeDisposition, resource: resource)
            table.merge = merge
            for hint in hints.columns {
                let column = try naming.normalizePath(hint.name)
                guard let type = hint.dataType else { continue }
                let isKey = try hints.primaryKey.contains { try naming.normalizePath($0) == column }
                table.add(ColumnSchema(name: column, dataType: type, nullable: hint.nullable ?? !isKey, primaryKey: isKey))
            }
            state = TableState(table)
            addState(state)
        }
        if hints.writeDisposition == .merge && hints.mergeStrategy == .scd2 {
            // The validity columns are set by the load, for the rows a load inserts or retires.
            for name in ["_dlt_valid_from", "_dlt_valid_to"] where state.schema.column(named: name) == nil {
                let column = ColumnSchema(name: name, dataType: .timestamp)
                state.schema.add(column)
                changes.append(.addColumn(table: state.name, column: column))
            }
        }
        let plan = RootPlan(hints: hints, state: state, primaryKey: try hints.primaryKey.map(naming.normalizePath),
                            mergeKey: try hints.mergeKey.map(naming.normalizePath),
                            upsert: hints.writeDisposition == .merge && hints.mergeStrategy == .upsert,
                            scd2: hints.writeDisposition == .merge && hints.mergeStrategy == .scd2,
                            writesRootIDs: hints.writeDisposition == .merge || hasRootIDs(below: name))
        // A table made by this row is undone with the row if a contract drops it: plan again then.
        if !createdThisRow.contains(name) { plans[resource] = plan }
        return plan
    }

    /// Whether a child table of `root` already has `_dlt_root_id`: a table that was merged once
    /// keeps giving its child rows their root's id when it is appended to later, as dlt does (the
    /// column is NOT NULL in the destination).
    private func hasRootIDs(below root: String) -> Bool {
        let rootID = SystemColumn.rootID.name
        return schema.tables.contains { table in
            var ancestor = table.parent
            while let name = ancestor, name != root { ancestor = schema.table(named: name)?.parent }
            return ancestor == root && table.column(named: rootID) != nil
        }
    }

    private func mergeSettings(_ hints: TableHints) throws -> MergeSettings? {
        guard hints.writeDisposition == .merge else { return nil }
        return MergeSettings(strategy: hints.mergeStrategy,
                             dedupSort: try hints.dedupSort.map { DedupSort(column: try naming.normalizePath($0.column), order: $0.order) },
                             hardDelete: try hints.hardDelete.map { try naming.normalizePath($0) })
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
            throw IngestError(error.kind, message: "resource \(resource): table name: \(error.message)")
        }
    }

    private func columnName(_ key: String, prefix: String, table: String, context: RowContext) throws -> String {
        let normalized: String
        if let cached = nameCache[key] {
            normalized = cached
        } else {
            do {
                normalized = try naming.normalizeKey(key)
            } catch let error as IngestError {
                throw IngestError(error.kind, message: "resource \(context.resource), table \(table), row \(context.position): column \(error.message)")
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

/// The columns the normalizer adds to every row.
private enum SystemColumn: Int, CaseIterable {
    case loadID, rowID, parentID, listIndex, rootID

    var name: String {
        switch self {
        case .loadID: "_dlt_load_id"
        case .rowID: "_dlt_id"
        case .parentID: "_dlt_parent_id"
        case .listIndex: "_dlt_list_idx"
        case .rootID: "_dlt_root_id"
        }
    }
}

/// One table being normalized: its schema as the data evolves it, its buffered rows, and what
/// is remembered about the shape of its rows.
private final class TableState {
    let name: String
    var schema: TableSchema
    var buffer: TableBuffer
    /// Rows normalized into the table, over all batches.
    var rowCount = 0
    /// The schema revision last copied into the normalizer's `Schema`.
    var syncedRevision = -1
    /// The key list of the table's rows (objects), and of its scalar `value` rows (child tables).
    var rootShape: Shape?
    var valueShape: Shape?
    /// Buffer positions of the system columns (`SystemColumn` order), -1 until known.
    var systemSlots = Array(repeating: -1, count: SystemColumn.allCases.count)

    init(_ schema: TableSchema) {
        name = schema.name
        self.schema = schema
        buffer = TableBuffer(table: schema.name)
    }

    /// After buffer columns were dropped, no remembered position can be trusted.
    func forgetPositions() {
        rootShape = nil
        valueShape = nil
        systemSlots = Array(repeating: -1, count: SystemColumn.allCases.count)
    }
}

/// One object key list and what was learned placing it: each key's column name, the buffer
/// position its value went to last (-1: not yet), the shapes of nested objects, and the child
/// tables of nested lists.
private final class Shape {
    let keys: [String]
    /// `keys` in UTF-8, one after another (key `i` spans `keyOffsets[i]..<keyOffsets[i + 1]`), to
    /// compare with a row's keys where they lie in its JSON. Raw memory: reading an array of
    /// arrays would retain and release one per key of every row.
    let keyText: UnsafeMutablePointer<UInt8>
    let keyOffsets: UnsafeMutablePointer<Int>
    let names: [String]
    var slots: [Int]
    var nested: [Shape?]
    var children: [TableState?]
    /// Fields whose key collides with a later key of the object: the later one's value loads.
    var skipped: [Bool]
    /// What collided, for the warning.
    var collisions: [String] = []

    init(keys: [String], names: [String]) {
        self.keys = keys
        let utf8 = keys.map { Array($0.utf8) }
        keyText = .allocate(capacity: max(1, utf8.reduce(0) { $0 + $1.count }))
        keyOffsets = .allocate(capacity: keys.count + 1)
        var offset = 0
        for (index, bytes) in utf8.enumerated() {
            keyOffsets[index] = offset
            (keyText + offset).update(from: bytes, count: bytes.count)
            offset += bytes.count
        }
        keyOffsets[keys.count] = offset
        self.names = names
        skipped = Array(repeating: false, count: names.count)
        slots = Array(repeating: -1, count: names.count)
        nested = Array(repeating: nil, count: names.count)
        children = Array(repeating: nil, count: names.count)
    }

    deinit {
        keyText.deallocate()
        keyOffsets.deallocate()
    }

    /// Rows of one source mostly share their objects' key lists: compared key by key (the
    /// parser interns keys, so equal keys are mostly the same string).
    func matches(_ fields: [(key: String, value: IngestValue)]) -> Bool {
        guard keys.count == fields.count else { return false }
        for index in keys.indices where keys[index] != fields[index].key { return false }
        return true
    }
}
