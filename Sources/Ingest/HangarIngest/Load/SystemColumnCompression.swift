/// The storage DuckDB uses for the row-id columns of the tables a load creates, chosen once
/// instead of analysed at every checkpoint.
///
/// DuckDB tries each of its compressions on every column segment it writes and keeps the
/// smallest. Row ids are random: `_dlt_id` hardly compresses at all, and the parent and root
/// ids of child rows repeat once per item, which a dictionary captures. Trying FSST on them was a
/// large part of a load's time, for a file barely smaller. `_dlt_load_id` holds one value per
/// load: a dictionary, which DuckDB picks for it anyway, is chosen without the checkpoint trying
/// the others first.
enum SystemColumnCompression {
    /// The `USING COMPRESSION` clause for a column of a new table, or "" to let DuckDB choose.
    static func clause(for column: ColumnSchema) -> String {
        guard column.dataType == .text else { return "" }
        switch column.name {
        case "_dlt_id": return " USING COMPRESSION uncompressed"
        case "_dlt_parent_id", "_dlt_root_id", "_dlt_load_id": return " USING COMPRESSION dictionary"
        default: return ""
        }
    }
}
