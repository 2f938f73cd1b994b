import Foundation
import HangarIngest
import Testing

struct TypeInferenceTests {
    @Test func everyValueKindInfersItsIngestType() {
        let cases: [(IngestValue, DataType?)] = [
            (.null, nil), (.bool(true), .bool), (.int(1), .bigint), (.double(1.5), .double), (.string("x"), .text),
            (.string("2026-11-25T14:03:11Z"), .timestamp), (.string("2026-11-25"), .text), (.decimal("1.50"), .decimal),
            (.date(0), .date), (.time(0), .time), (.timestamp(0), .timestamp), (.binary(Data([1])), .binary),
            (.object([(key: "a", value: .int(1))]), .json), (.array([.int(1)]), .json),
        ]
        for (value, expected) in cases {
            #expect(value.inferredType == expected, "\(value)")
        }
    }

    @Test(arguments: [
        ("2026-11-25T14:03:11Z", Int64(1_795_615_391_000_000)),
        ("2026-11-25T14:03:11.5Z", 1_795_615_391_500_000),
        ("2026-11-25 14:03:11.123456", 1_795_615_391_123_456),
        ("2026-11-25T15:03:11+01:00", 1_795_615_391_000_000),
        ("2026-11-25T13:33:11-0030", 1_795_615_391_000_000),
        ("1969-12-31T23:59:59Z", -1_000_000),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000_000),
    ])
    func isoTimestampsParseToUTCMicroseconds(_ text: String, _ micros: Int64) {
        #expect(ISO8601Timestamp.parse(text) == micros)
    }

    @Test(arguments: ["2026-11-25", "2026-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2026-11-25T25:00:00Z",
                      "2026-11-25T14:03:11Zjunk", "not a timestamp at all!", "2026-11-25T14:03:11."])
    func nearMissesStayText(_ text: String) {
        #expect(ISO8601Timestamp.parse(text) == nil)
    }

    @Test func duckDBSpellingsMatchTheReference() {
        #expect(DataType.allCases.map(\.duckDBType) == [
            "VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMP WITH TIME ZONE", "DATE", "TIME",
            "DECIMAL(38,9)", "DECIMAL(38,0)", "JSON", "BLOB",
        ])
    }
}
