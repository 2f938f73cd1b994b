import Foundation

extension Pipeline {
    /// What normalizing a package counted.
    struct NormalizeOutcome {
        var rowCounts: [String: Int]
        var discardedRows: [String: Int]
        var discardedValues: [String: Int]
    }

    /// Normalizes a package; a package whose data cannot be normalized (malformed, breaking a
    /// contract) is set aside in `normalize/failed` so it does not block every later run.
    func normalizeOrSetAside(_ loadID: String, format: LoaderFileFormat) throws -> NormalizeOutcome {
        do {
            return try normalize(loadID, format: format)
        } catch let error as IngestError where [.invalidData, .malformedJSON, .invalidName, .contractViolation].contains(error.code) {
            let failed = folders.pipeline.appendingPathComponent("normalize/failed", isDirectory: true)
            try? folders.publish(folders.extracted.appendingPathComponent(loadID, isDirectory: true), as: loadID, in: failed)
            throw IngestError(error.code, message: error.message + " (the extracted package was set aside in \(failed.path)/\(loadID))")
        }
    }

    /// Turns an extracted package into a normalized one: rows into tables, loader files per
    /// table, the evolved schema and the state row.
    func normalize(_ loadID: String, format: LoaderFileFormat) throws -> NormalizeOutcome {
        let extracted = folders.extracted.appendingPathComponent(loadID, isDirectory: true)
        var manifest = try PackageManifest.read(from: extracted)
        let stateData = try Data(contentsOf: extracted.appendingPathComponent("state.json"))
        let state = try PipelineState.from(jsonData: stateData)
        let partial = try folders.partial(loadID, in: folders.normalized)
        let jobs = partial.appendingPathComponent("new_jobs", isDirectory: true)
        try FileManager.default.createDirectory(at: jobs, withIntermediateDirectories: true)
        do {
            let writers = JobWriters(folder: jobs, format: format, maxFileBytes: options.maxFileBytes)
            let normalizer = Normalizer(schema: try currentSchema(), naming: naming, loadID: loadID, batchRows: options.batchRows) { batch in
                try writers.write(batch)
            }
            var replaceTables: [String] = []
            for entry in manifest.resources where entry.hints.writeDisposition != .skip {
                let table = try naming.normalizePath(entry.hints.table)
                if entry.hints.writeDisposition == .replace { replaceTables.append(table) }
                var position = 0
                for file in ExtractFiles.files(in: extracted, resource: entry.index) {
                    let data = try Data(contentsOf: file.url, options: .alwaysMapped)
                    let rowsBefore = position
                    do {
                        try JSONReader.rows(from: data, layout: file.layout, typed: file.typed) { row, _ in
                            position += 1
                            try normalizer.normalize(row, resource: entry.name, hints: entry.hints, position: position)
                            if position == 1 { CrashPoint.duringNormalize.reached() }
                        }
                    } catch let error as IngestError where error.code == .malformedJSON {
                        // Large inputs are split into parts at extract; the reader counts within a part.
                        let place = rowsBefore > 0 ? "in the part after its first \(rowsBefore) rows, " : ""
                        throw IngestError(.malformedJSON, message: "resource \(entry.name): \(place)\(error.message)")
                    }
                }
            }
            var schema = try normalizer.finish()
            if try stateChanged(state) {
                schema.update(SystemTables.pipelineStateTable)
                try writers.write(stateBatch(state, loadID: loadID))
            }
            let written = try writers.finish()
            try PackageFiles.write(try schema.jsonData(), to: partial.appendingPathComponent("schema.json"))
            try PackageFiles.write(try SchemaChange.jsonData(normalizer.changes), to: partial.appendingPathComponent("schema_updates.json"))
            try PackageFiles.write(stateData, to: partial.appendingPathComponent("state.json"))
            manifest.state = "normalized"
            manifest.loaderFileFormat = format
            manifest.rowCounts = normalizer.rowCounts
            manifest.replaceTables = replaceTables
            manifest.tables = Array(Set(written)).sorted()
            try manifest.write(to: partial)
            try folders.publish(partial, as: loadID, in: folders.normalized)
            try FileManager.default.removeItem(at: extracted)
            try rememberSchema(schema)
            return NormalizeOutcome(rowCounts: normalizer.rowCounts, discardedRows: normalizer.discardedRows,
                                    discardedValues: normalizer.discardedValues)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    /// The state row is written only when the state differs from what the destination holds.
    private func stateChanged(_ state: PipelineState) throws -> Bool {
        state.versionHash != (try currentState()).versionHash || state.version == 0 && !state.sources.isEmpty
    }

    private func stateBatch(_ state: PipelineState, loadID: String) throws -> TableBatch {
        let table = SystemTables.pipelineStateTable
        let json = String(decoding: try state.jsonData(pretty: false), as: UTF8.self)
        var ids = RowIDGenerator()
        return TableBatch(table: table.name, columns: table.columns, buffers: [
            .bigint([Int64(state.version)]), .bigint([Int64(Schema.engineVersion)]), .text([name]), .text([json]),
            .timestamp([Int64(Date().timeIntervalSince1970 * 1_000_000)]), .text([state.versionHash]), .text([loadID]), .text([ids.next()]),
        ])
    }
}

extension SchemaChange {
    static func jsonData(_ changes: [SchemaChange]) throws -> Data {
        let rows: [[String: String]] = changes.map { change in
            switch change {
            case .addColumn(let table, let column):
                ["change": "add_column", "table": table, "column": column.name, "data_type": column.dataType.rawValue]
            case .widenColumn(let table, let column, let from, let to):
                ["change": "widen_column", "table": table, "column": column, "from": from.rawValue, "to": to.rawValue]
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(rows)
    }
}
