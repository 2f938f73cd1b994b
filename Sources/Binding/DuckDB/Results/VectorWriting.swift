import CDuckDB
import Foundation

// Writing values into DuckDB vectors: appended chunks, table-function output, scalar results.
extension Vector {
    @inline(__always)
    func store<T>(_ value: T, _ row: Int) {
        data!.storeBytes(of: value, toByteOffset: row * MemoryLayout<T>.stride, as: T.self)
    }

    func setNull(_ row: Int) {
        duckdb_vector_ensure_validity_writable(handle)
        duckdb_validity_set_row_invalid(duckdb_vector_get_validity(handle), UInt64(row))
        if case .structure(let fields) = type {
            for index in fields.indices {
                Vector(duckdb_struct_vector_get_child(handle, UInt64(index))!).setNull(row)
            }
        }
    }

    /// A Swift `String` is valid UTF-8 by construction (decoding repairs what is not), so DuckDB's
    /// own check of every string, the checked assign, is skipped: it read every string again.
    @inline(__always)
    func setString(_ text: String, _ row: Int) {
        var text = text
        text.withUTF8 { setString(validUTF8: $0.baseAddress, count: $0.count, row) }
    }

    /// Bytes known to be valid UTF-8 (see `UTF8Column.append(validUTF8:)`); DuckDB copies them.
    @inline(__always)
    func setString(validUTF8 bytes: UnsafePointer<UInt8>?, count: Int, _ row: Int) {
        duckdb_unsafe_vector_assign_string_element_len(
            handle, UInt64(row), UnsafeRawPointer(bytes ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self), UInt64(count))
    }

    /// Writes `value` at `row`, converting between compatible types (an integer into a DOUBLE
    /// or DECIMAL column, text into JSON, …) and throwing on anything else.
    func set(_ value: DuckDBValue, at row: Int) throws {
        if case .null = value { return setNull(row) }
        func mismatch() -> DuckDBError {
            DuckDBError(.conversion, message: "cannot store \(value) (\(value.inferredType)) in a \(type) column")
        }
        func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
            switch value {
            case .hugeint(let v): if let x = T(exactly: v) { return x }
            case .uhugeint(let v): if let x = T(exactly: v) { return x }
            case .boolean(let v): return v ? 1 : 0
            case .decimal(let d) where d.scale == 0: if let x = T(exactly: d.value) { return x }
            default: if let v = value.int64, let x = T(exactly: v) { return x }
                if case .ubigint(let v) = value, let x = T(exactly: v) { return x }
            }
            throw mismatch()
        }
        switch type {
        case .boolean:
            guard case .boolean(let v) = value else { throw mismatch() }
            store(v, row)
        case .tinyint: store(try integer(Int8.self), row)
        case .smallint: store(try integer(Int16.self), row)
        case .integer: store(try integer(Int32.self), row)
        case .bigint: store(try integer(Int64.self), row)
        case .hugeint: store(try integer(Int128.self).hugeint, row)
        case .utinyint: store(try integer(UInt8.self), row)
        case .usmallint: store(try integer(UInt16.self), row)
        case .uinteger: store(try integer(UInt32.self), row)
        case .ubigint: store(try integer(UInt64.self), row)
        case .uhugeint: store(try integer(UInt128.self).uhugeint, row)
        case .float:
            guard let v = value.double else { throw mismatch() }
            store(Float(v), row)
        case .double:
            guard let v = value.double else { throw mismatch() }
            store(v, row)
        case .decimal(let width, let scale):
            let unscaled = try rescale(value, to: scale, width: width)
            switch storage {
            case DUCKDB_TYPE_SMALLINT: store(Int16(unscaled), row)
            case DUCKDB_TYPE_INTEGER: store(Int32(unscaled), row)
            case DUCKDB_TYPE_BIGINT: store(Int64(unscaled), row)
            default: store(unscaled.hugeint, row)
            }
        case .varchar, .json:
            switch value {
            case .varchar(let v), .json(let v), .enumeration(let v): setString(v, row)
            default:
                guard type == .varchar || value.inferredType != .blob else { throw mismatch() }
                setString(value.description, row)
            }
        case .blob:
            switch value {
            case .blob(let bytes):
                bytes.withUnsafeBytes { raw in
                    duckdb_vector_assign_string_element_len(
                        handle, UInt64(row), raw.bindMemory(to: CChar.self).baseAddress ?? UnsafePointer(bitPattern: 1)!, UInt64(raw.count))
                }
            case .varchar(let v): setString(v, row)
            default: throw mismatch()
            }
        case .date:
            guard case .date(let v) = value else { throw mismatch() }
            store(v.days, row)
        case .time:
            guard case .time(let v) = value else { throw mismatch() }
            store(v.microseconds, row)
        case .timestamp, .timestampTZ:
            let micros: Int64
            switch value {
            case .timestamp(let v), .timestampTZ(let v): micros = v.microseconds
            case .timestampNanoseconds(let v): micros = v / 1000
            case .date(let v): micros = Int64(v.days) * 86_400_000_000
            default: throw mismatch()
            }
            switch storage {
            case DUCKDB_TYPE_TIMESTAMP_S: store(micros / 1_000_000, row)
            case DUCKDB_TYPE_TIMESTAMP_MS: store(micros / 1000, row)
            default: store(micros, row)
            }
        case .timestampNanoseconds:
            switch value {
            case .timestampNanoseconds(let v): store(v, row)
            case .timestamp(let v), .timestampTZ(let v): store(v.microseconds * 1000, row)
            default: throw mismatch()
            }
        case .interval:
            guard case .interval(let v) = value else { throw mismatch() }
            store(duckdb_interval(months: v.months, days: v.days, micros: v.microseconds), row)
        case .uuid:
            guard case .uuid(let v) = value else { throw mismatch() }
            let natural = v.uint128
            store(duckdb_hugeint(lower: UInt64(truncatingIfNeeded: natural),
                                 upper: Int64(bitPattern: UInt64(truncatingIfNeeded: natural >> 64) ^ (1 << 63))), row)
        case .enumeration(let labels):
            guard let label = value.string, let index = labels.firstIndex(of: label) else {
                throw DuckDBError(.conversion, message: "\(value) is not a label of \(type)")
            }
            switch storage {
            case DUCKDB_TYPE_UTINYINT: store(UInt8(index), row)
            case DUCKDB_TYPE_USMALLINT: store(UInt16(index), row)
            default: store(UInt32(index), row)
            }
        case .list:
            guard case .list(let items) = value else { throw mismatch() }
            let childHandle = duckdb_list_vector_get_child(handle)!
            let offset = Int(duckdb_list_vector_get_size(handle))
            duckdb_list_vector_reserve(handle, UInt64(offset + items.count))
            let child = Vector(childHandle)  // after reserve: the child's memory may have moved
            for (index, item) in items.enumerated() { try child.set(item, at: offset + index) }
            duckdb_list_vector_set_size(handle, UInt64(offset + items.count))
            store(duckdb_list_entry(offset: UInt64(offset), length: UInt64(items.count)), row)
        case .array(_, let size):
            guard case .array(let items) = value, items.count == size else { throw mismatch() }
            let child = Vector(duckdb_array_vector_get_child(handle)!)
            for (index, item) in items.enumerated() { try child.set(item, at: row * size + index) }
        case .structure(let fields):
            guard case .structure(let given) = value else { throw mismatch() }
            for (index, field) in fields.enumerated() {
                let child = Vector(duckdb_struct_vector_get_child(handle, UInt64(index))!)
                try child.set(given.first { $0.name == field.name }?.value ?? .null, at: row)
            }
        case .map:
            guard case .map(let entries) = value else { throw mismatch() }
            let offset = Int(duckdb_list_vector_get_size(handle))
            duckdb_list_vector_reserve(handle, UInt64(offset + entries.count))
            let structure = duckdb_list_vector_get_child(handle)!
            let keys = Vector(duckdb_struct_vector_get_child(structure, 0)!)
            let values = Vector(duckdb_struct_vector_get_child(structure, 1)!)
            for (index, entry) in entries.enumerated() {
                try keys.set(entry.key, at: offset + index)
                try values.set(entry.value, at: offset + index)
            }
            duckdb_list_vector_set_size(handle, UInt64(offset + entries.count))
            store(duckdb_list_entry(offset: UInt64(offset), length: UInt64(entries.count)), row)
        case .other:
            throw mismatch()
        }
    }

    private func rescale(_ value: DuckDBValue, to scale: UInt8, width: UInt8) throws -> Int128 {
        let decimal: DuckDBDecimal
        switch value {
        case .decimal(let d): decimal = d
        case .double, .float:
            decimal = try DuckDBDecimal(exactly: String(format: "%.\(scale)f", value.double!))
        default:
            guard let v = value.int64 else {
                throw DuckDBError(.conversion, message: "cannot store \(value) in a DECIMAL(\(width),\(scale)) column")
            }
            decimal = DuckDBDecimal(value: Int128(v), width: 19, scale: 0)
        }
        var unscaled = decimal.value
        let outOfRange = DuckDBError(.outOfRange, message: "\(decimal) does not fit DECIMAL(\(width),\(scale))")
        if decimal.scale < scale {
            for _ in decimal.scale..<scale {
                let (product, overflow) = unscaled.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw outOfRange }
                unscaled = product
            }
        } else if decimal.scale > scale {
            // Round half away from zero, as DuckDB's own cast does.
            var divisor: Int128 = 1
            for _ in scale..<decimal.scale { divisor *= 10 }
            let (quotient, remainder) = unscaled.quotientAndRemainder(dividingBy: divisor)
            unscaled = quotient + (remainder.magnitude * 2 >= divisor.magnitude ? (unscaled < 0 ? -1 : 1) : 0)
        }
        var limit: Int128 = 1
        for _ in 0..<width { limit *= 10 }
        guard unscaled.magnitude < limit.magnitude else { throw outOfRange }
        return unscaled
    }
}
