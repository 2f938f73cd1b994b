import HangarIngest
import Testing

struct SchemaEvolutionTests {
    let evolution = SchemaEvolution()

    @Test func aColumnAppearsWithTheFirstTypedValue() {
        var table = TableSchema(name: "repos")
        #expect(evolution.place(.null, column: "license", in: &table) == nil)
        #expect(table.columns.isEmpty)
        let placed = evolution.place(.string("MIT"), column: "license", in: &table)
        #expect(placed == ValuePlacement(column: "license", value: .string("MIT"),
                                         change: .addColumn(table: "repos", column: ColumnSchema(name: "license", dataType: .text))))
        #expect(evolution.place(.null, column: "license", in: &table) == ValuePlacement(column: "license", value: .null, change: nil))
    }

    @Test func isoTimestampStringsCreateTimestampColumnsAndAreParsed() {
        var table = TableSchema(name: "repos")
        let placed = evolution.place(.string("2026-11-25T14:03:11Z"), column: "pushed_at", in: &table)
        #expect(placed?.value == .timestamp(1_795_615_391_000_000))
        #expect(table.column(named: "pushed_at")?.dataType == .timestamp)
    }

    @Test func aValueThatDoesNotFitGoesToAVariantColumn() {
        var table = TableSchema(name: "repos", columns: [ColumnSchema(name: "score", dataType: .bigint)])
        let placed = evolution.place(.string("high"), column: "score", in: &table)
        #expect(placed?.column == "score__v_text")
        #expect(placed?.change == .addColumn(table: "repos", column: ColumnSchema(name: "score__v_text", dataType: .text, variant: true)))
        // The next misfit of the same type reuses the variant column.
        #expect(evolution.place(.string("low"), column: "score", in: &table) == ValuePlacement(column: "score__v_text", value: .string("low"), change: nil))
        #expect(table.columns.map(\.name) == ["score", "score__v_text"])
    }

    @Test func aFloatWidensABigintColumnInsteadOfMakingAVariant() {
        var table = TableSchema(name: "repos", columns: [ColumnSchema(name: "ratio", dataType: .bigint)])
        #expect(evolution.place(.double(3.0), column: "ratio", in: &table) == ValuePlacement(column: "ratio", value: .int(3), change: nil))
        let placed = evolution.place(.double(2.5), column: "ratio", in: &table)
        #expect(placed == ValuePlacement(column: "ratio", value: .double(2.5),
                                         change: .widenColumn(table: "repos", column: "ratio", from: .bigint, to: .double)))
        #expect(table.column(named: "ratio")?.dataType == .double)
        // Integers keep landing in the widened column, as doubles.
        #expect(evolution.place(.int(7), column: "ratio", in: &table)?.value == .double(7))
    }

    @Test func lossFreeCoercionsStayInTheColumn() {
        #expect(evolution.coerce(.int(5), to: .text) == .string("5"))
        #expect(evolution.coerce(.int(5), to: .decimal) == .decimal("5"))
        #expect(evolution.coerce(.string("2026-11-25T14:03:11Z"), to: .timestamp) == .timestamp(1_795_615_391_000_000))
        #expect(evolution.coerce(.string("yesterday"), to: .timestamp) == nil)
        #expect(evolution.coerce(.double(1e300), to: .bigint) == nil)
        #expect(evolution.coerce(.bool(true), to: .bigint) == nil)
    }
}
