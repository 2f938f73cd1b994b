import DuckDB

/// Decimal text ("-12.5") made exact at a column's scale: DECIMAL(38,9) for `decimal`,
/// DECIMAL(38,0) for `wei`.
///
/// Every format goes through here, so a value lands the same whichever format carries it.
/// Digits past the scale round half away from zero, as DuckDB's own VARCHAR to DECIMAL cast does.
enum DecimalText {
    static let width: UInt8 = 38

    static func scale(of type: DataType) -> UInt8 {
        type == .wei ? 0 : 9
    }

    /// The value at `scale`; throws `invalidData` for text that is not a plain decimal number or
    /// does not fit 38 digits.
    static func decimal(_ text: String, scale: UInt8, column: String) throws -> DuckDBDecimal {
        func invalid(_ reason: String) -> IngestError {
            IngestError(.invalidData, message: "column \(column): '\(text)' \(reason)")
        }
        // Only the first digit past the scale decides the rounding; dropping the rest lets
        // values with long fractions through DuckDBDecimal's 38-digit limit.
        var trimmed = Substring(text)
        if let point = trimmed.firstIndex(of: "."),
           let cut = trimmed.index(point, offsetBy: Int(scale) + 2, limitedBy: trimmed.endIndex) {
            trimmed = trimmed[..<cut]
        }
        let parsed: DuckDBDecimal
        do {
            parsed = try DuckDBDecimal(exactly: String(trimmed))
        } catch {
            throw invalid("is not a decimal number DuckDB can hold (plain notation, at most 38 digits)")
        }
        var unscaled = parsed.value
        if parsed.scale < scale {
            for _ in parsed.scale..<scale {
                let (product, overflow) = unscaled.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw invalid("does not fit DECIMAL(\(width),\(scale))") }
                unscaled = product
            }
        } else if parsed.scale > scale {
            var divisor: Int128 = 1
            for _ in scale..<parsed.scale { divisor *= 10 }
            let (quotient, remainder) = unscaled.quotientAndRemainder(dividingBy: divisor)
            unscaled = quotient
            if remainder.magnitude * 2 >= divisor.magnitude { unscaled += unscaled < 0 || remainder < 0 ? -1 : 1 }
        }
        guard unscaled.magnitude < limit else { throw invalid("does not fit DECIMAL(\(width),\(scale))") }
        return DuckDBDecimal(value: unscaled, width: width, scale: scale)
    }

    /// The canonical text of `text` at `scale`, such as "-1.500000000".
    static func canonical(_ text: String, scale: UInt8, column: String) throws -> String {
        try decimal(text, scale: scale, column: column).description
    }

    /// 10^38: DECIMAL(38, s) holds unscaled magnitudes below it.
    private static let limit: UInt128 = {
        var value: UInt128 = 1
        for _ in 0..<38 { value *= 10 }
        return value
    }()
}
