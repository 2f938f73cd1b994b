/// What identifies a row for boundary deduplication: the digest of its key fields' values, or of
/// the whole row when there is no key. Digests are stable across runs and machines
/// (``StableHash``), since they are compared with ones stored by earlier runs.
struct RowKeyDigest: Sendable {
    /// The key fields, as given and in snake_case, since a primary key names columns
    /// (`full_name`) while raw rows carry source keys (`fullName`).
    private let fields: [(given: String, normalized: String)]
    private let naming = NamingConvention()

    init(primaryKey: [String]) {
        fields = primaryKey.map { name in (name, (try? NamingConvention().normalize(name)) ?? name) }
    }

    func digest(of row: IngestValue) -> String {
        var writer = TypedJSONLWriter(reservingCapacity: 256)
        if fields.isEmpty {
            writer.write(row)
        } else {
            writer.write(.array(fields.map { value(of: $0, in: row) }))
        }
        return StableHash.base64Digest(of: String(decoding: writer.bytes, as: UTF8.self), bytes: 16)
    }

    private func value(of field: (given: String, normalized: String), in row: IngestValue) -> IngestValue {
        guard case .object(let members) = row else { return .null }
        if let exact = members.first(where: { $0.key == field.given }) { return exact.value }
        return members.first { (try? naming.normalize($0.key)) == field.normalized }?.value ?? .null
    }
}
