/// How the rows sit in a JSON document.
public enum JSONLayout: Sendable, Hashable {
    /// A top-level array whose elements are the rows: `[{…}, {…}]`.
    case array
    /// JSON Lines: one value per line; blank lines are skipped and CRLF line endings are fine.
    /// A value may span lines, but nothing else may share a line with it.
    case lines
    /// A top-level object with the rows in an array member, as many APIs answer
    /// (`{"total": 2, "items": [{…}, {…}]}`). With `key` nil, the first member whose value is an
    /// array holds the rows; the other members are checked for syntax and ignored.
    case objectHolding(key: String?)
    /// Decided by the document itself:
    /// - it starts with `[`: ``array``;
    /// - otherwise the first value is read; when another value follows on a later line: ``lines``;
    /// - when it is the only value and an object with a member holding a non-empty array of
    ///   objects: ``objectHolding(key:)`` with the first such member;
    /// - otherwise that value is the single row.
    ///
    /// A one-line JSON Lines file whose row holds a list of objects therefore reads as an
    /// envelope, and an envelope whose list is empty reads as one row: pass the layout explicitly
    /// when that ambiguity matters. An empty document has no rows.
    case automatic
}
