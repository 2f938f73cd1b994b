import Foundation

/// Turns any `Encodable` into an `IngestValue`, so that Swift types can be ingested without a
/// detour through JSON text.
///
/// Structs and dictionaries become `.object` with their keys in encoding order (for synthesized
/// conformances, declaration order); a key encoded twice keeps its first position and its last
/// value. Arrays become `.array`. Optional properties that are nil are left out, as
/// `JSONEncoder` leaves them out (synthesized conformances use `encodeIfPresent`); an explicit
/// `encodeNil` gives `.null`.
///
/// Scalars map as follows:
/// - signed integers and `UInt8`…`UInt32` → `.int`; `UInt`, `UInt64` and the 128-bit integers →
///   `.int` when they fit `Int64`, otherwise `.bigInteger` with their exact digits (dlt's `wei`);
/// - `Double` → `.double`; `Float` → `.double` of its shortest decimal form (`Float(0.1)` gives
///   0.1, not 0.10000000149011612, as `JSONEncoder` would print it);
/// - `Bool` → `.bool`, `String` → `.string`;
/// - `Date` → `.timestamp` (microseconds since the epoch, rounded to the nearest);
/// - `Data` → `.binary`; `Decimal` → `.decimal` in plain notation (NaN throws);
/// - `UUID` → `.string` in lowercase; `URL` → `.string` of its absolute form.
public struct IngestValueEncoder: Sendable {
    /// Handed to the values' `encode(to:)` implementations as `encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    /// The ingest value of `value`.
    ///
    /// - Throws: `EncodingError.invalidValue` when a value has no ingest form (a NaN `Decimal`) or
    ///   when a top-level value encodes nothing at all.
    public func encode<Value: Encodable>(_ value: Value) throws -> IngestValue {
        if let special = try IngestValueEncoding.specialValue(value, codingPath: []) { return special }
        let encoding = IngestValueEncoding(userInfo: userInfo.mapValues { $0 as Any }, path: nil)
        try value.encode(to: encoding)
        if case .empty = encoding.node {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: [], debugDescription: "\(Value.self) did not encode any value."))
        }
        return encoding.node.ingestValue
    }
}
