/// One run of an ``Incremental`` over one resource's rows: decides, row by row as they are
/// emitted, which rows load, and follows the last value and the keys of the rows at it, for the
/// state the package commits with the data.
final class IncrementalFilter {
    let resource: String
    private let settings: Incremental
    let path: CursorPath
    /// +1 for `.max`, -1 for `.min`: comparisons times this read "further along" as positive.
    private let direction: Int
    private let initialValue: IngestValue?
    private let start: CursorValue?
    private let end: CursorValue?
    /// The last value earlier runs stored and the keys of the rows they loaded at it.
    private let storedLast: CursorValue?
    private let storedKeys: Set<String>
    private let deduplicates: Bool
    /// Backfills (an end value) leave state alone.
    private let keepsState: Bool
    private let hadState: Bool
    private let keyDigest: RowKeyDigest
    private var last: CursorValue?
    private var lastKeys: BoundaryKeys
    /// Rows admitted at the last value whose keys are still to be digested, oldest first, with
    /// the digest when it is known already (see ``admit(cursorValue:place:rowOf:)``).
    private var pendingKeys: [(place: Range<Int>, digest: String?)] = []
    private var position = 0
    /// Sorted rows went past the range: nothing later can load.
    private(set) var isExhausted = false

    init(_ settings: Incremental, resource: String, primaryKey: [String], state: [String: StateValue],
         boundaryKeyLimit: Int = Incremental.boundaryKeyLimit) throws(IngestError) {
        self.resource = resource
        self.settings = settings
        direction = settings.lastValueFunction == .max ? 1 : -1
        keyDigest = RowKeyDigest(primaryKey: settings.primaryKey ?? primaryKey)
        lastKeys = BoundaryKeys(limit: boundaryKeyLimit)
        do {
            path = try CursorPath(settings.cursorPath)
        } catch {
            throw Self.configurationError(resource, "its cursor path \"\(settings.cursorPath)\" is not usable: \(error.reason)")
        }
        if let lag = settings.lag, !(lag.isFinite && lag >= 0) {
            throw Self.configurationError(resource, "its lag is \(lag); a lag is a distance back from the last value, zero or more")
        }

        let initial = try Self.cursorValue(settings.initialValue, "initial value", resource)
        let section = settings.endValue == nil ? state["incremental"]?.object?[settings.cursorPath]?.object : nil
        hadState = section != nil
        keepsState = settings.endValue == nil
        end = try Self.cursorValue(settings.endValue, "end value", resource)
        if let end, let initial {
            do {
                _ = try initial.compare(to: end)
            } catch {
                throw Self.configurationError(resource, "its initial and end values cannot be compared: \(error.reason)")
            }
        }

        if let section {
            let storedInitial = section["initial_value"].map(\.ingestValue).flatMap { $0 == .null ? nil : $0 }
            initialValue = storedInitial ?? settings.initialValue
            let lastStored = section["last_value"].map(\.ingestValue) ?? .null
            do {
                storedLast = try CursorValue(lastStored)
            } catch {
                throw Self.configurationError(resource, "its stored last value is unusable (\(error.reason)); the state of resource \(resource) was changed by hand?")
            }
            var keys: [String] = []
            if case .array(let items)? = section["unique_hashes"] { keys = items.compactMap(\.string) }
            storedKeys = storedLast == nil ? [] : Set(keys)
            lastKeys = BoundaryKeys(storedLast == nil ? [] : keys, limit: boundaryKeyLimit)
        } else {
            initialValue = settings.initialValue
            storedLast = nil
            storedKeys = []
        }
        // A stored initial value wins over the configured one, as the first run began there.
        let initialCursor = initialValue == settings.initialValue ? initial : try Self.cursorValue(initialValue, "stored initial value", resource)
        last = storedLast ?? initialCursor

        if let storedLast, let lag = settings.lag, lag > 0 {
            do {
                let lagged = try CursorValue(try storedLast.lagged(by: lag, for: settings.lastValueFunction))
                // The lag reaches back, but never behind where the first run began.
                if let lagged, let floor = initialCursor, direction * (try lagged.compare(to: floor)) < 0 {
                    start = floor
                } else {
                    start = lagged
                }
            } catch {
                throw Self.configurationError(resource, "its lag cannot be applied: \(error.reason)")
            }
        } else {
            start = storedLast ?? initialCursor
        }
        deduplicates = keepsState && settings.rangeStart == .closed && (settings.lag ?? 0) == 0 && !storedKeys.isEmpty
    }

    /// What the resource sees through `emit.incremental`.
    var cursor: IncrementalCursor {
        IncrementalCursor(cursorPath: settings.cursorPath, initialValue: initialValue, startValue: start?.value,
                          lastValue: last?.value, endValue: settings.endValue)
    }

    /// Whether `row`, the next row the resource emitted, loads.
    func admit(_ row: IngestValue) throws -> Bool {
        try decide(path.value(in: row), place: 0..<0, deferring: false) { _ in row }
    }

    /// Whether the next row the resource emitted loads, for a row read from bytes: its value at
    /// the cursor path (nil when the path leads nowhere), its place (its bytes in its document),
    /// and how to build a row from its place. Rows are built only for their key digests, when a decision needs one
    /// or the row is still at the last value when ``digestPendingKeys(rowOf:)`` is called: rows
    /// sorted by their cursor each reach a new last value, and building each for a digest the
    /// next row discards would cost what reading from bytes saves.
    func admit(cursorValue: IngestValue?, place: Range<Int>, rowOf: (Range<Int>) throws -> IngestValue) throws -> Bool {
        try decide(cursorValue, place: place, deferring: true, rowOf: rowOf)
    }

    /// Digests the rows admitted at the last value since the last call; call it before the
    /// places stop naming rows (at the end of each document) and before ``write(into:)``.
    func digestPendingKeys(rowOf: (Range<Int>) throws -> IngestValue) throws {
        for pending in pendingKeys {
            lastKeys.insert(try pending.digest ?? keyDigest.digest(of: rowOf(pending.place)))
        }
        pendingKeys.removeAll(keepingCapacity: true)
    }

    private func decide(_ cursorValue: IngestValue?, place: Range<Int>, deferring: Bool,
                        rowOf: (Range<Int>) throws -> IngestValue) throws -> Bool {
        position += 1
        if isExhausted { return false }
        let present: CursorValue?
        do {
            present = try CursorValue(cursorValue ?? .null)
        } catch {
            throw rowError("its cursor value at \"\(settings.cursorPath)\" is unusable: \(error.reason)")
        }
        guard let value = present else { return try missingCursorValue() }
        let movingTowardEnd = settings.rowOrder.map { ($0 == .ascending) == (settings.lastValueFunction == .max) }
        if let start {
            let along = try direction * compare(value, start, "start value")
            if along < 0 || along == 0 && settings.rangeStart == .open {
                if movingTowardEnd == false { isExhausted = true }
                return false
            }
        }
        if let end {
            let along = try direction * compare(value, end, "end value")
            if along > 0 || along == 0 && settings.rangeEnd == .open {
                if movingTowardEnd == true { isExhausted = true }
                return false
            }
        }
        var digest: String?
        if deduplicates, let storedLast, try compare(value, storedLast, "last value") == 0 {
            let key = keyDigest.digest(of: try rowOf(place))
            if storedKeys.contains(key) { return false }
            digest = key
        }
        func keepKey() throws {
            guard lastKeys.limit > 0 else { return }
            guard deferring else { return lastKeys.insert(try digest ?? keyDigest.digest(of: rowOf(place))) }
            pendingKeys.append((place, digest))
            // Many rows at one value: digest the waiting ones, as only the last `limit` keys stay.
            if pendingKeys.count >= 2 * max(lastKeys.limit, 1) { try digestPendingKeys(rowOf: rowOf) }
        }
        guard let current = last else {
            last = value
            if keepsState { try keepKey() }
            return true
        }
        let along = try direction * compare(value, current, "last value")
        if along > 0 {
            last = value
            if keepsState {
                lastKeys.removeAll()
                pendingKeys.removeAll(keepingCapacity: true)
                try keepKey()
            }
        } else if along == 0, keepsState {
            try keepKey()
        }
        return true
    }

    /// Puts the incremental's section into the resource's state; backfills leave it as it was.
    func write(into state: inout [String: StateValue]) {
        assert(pendingKeys.isEmpty, "digestPendingKeys(rowOf:) was not called after the last document")
        guard keepsState, hadState || last != nil || initialValue != nil else { return }
        var sections = state["incremental"]?.object ?? [:]
        sections[settings.cursorPath] = .object([
            "initial_value": initialValue?.stateValue ?? .null,
            "last_value": last?.value.stateValue ?? .null,
            "unique_hashes": .array(lastKeys.ordered.map(StateValue.string)),
        ])
        state["incremental"] = .object(sections)
    }

    private func missingCursorValue() throws(IngestError) -> Bool {
        switch settings.onCursorValueMissing {
        case .include: return true
        case .exclude: return false
        case .raise:
            throw rowError("""
                it has no value at the incremental's cursor path "\(settings.cursorPath)" (the path is absent or null). \
                Correct the cursor path, or set onCursorValueMissing to .include or .exclude to load or drop such rows
                """)
        }
    }

    private func compare(_ value: CursorValue, _ bound: CursorValue, _ boundName: String) throws(IngestError) -> Int {
        do {
            return try value.compare(to: bound)
        } catch {
            throw rowError("its cursor value at \"\(settings.cursorPath)\" cannot be compared with the \(boundName): \(error.reason)")
        }
    }

    private func rowError(_ reason: String) -> IngestError {
        IngestError(.incrementalCursor, message: "resource \(resource), row \(position): \(reason)")
    }

    private static func cursorValue(_ value: IngestValue?, _ name: String, _ resource: String) throws(IngestError) -> CursorValue? {
        guard let value else { return nil }
        do {
            return try CursorValue(value)
        } catch {
            throw configurationError(resource, "its \(name) is unusable: \(error.reason)")
        }
    }

    private static func configurationError(_ resource: String, _ problem: String) -> IngestError {
        IngestError(.incrementalCursor, message: "resource \(resource): the incremental cannot run: \(problem)")
    }
}
