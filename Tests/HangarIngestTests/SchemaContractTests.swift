import DuckDB
import Foundation
@testable import HangarIngest
import Testing

/// Every contract mode on every entity, against a table created by an earlier run.
struct SchemaContractTests {
    enum Entity: String, CaseIterable, Sendable { case tables, columns, dataType = "data_type" }

    /// A good row and a row that changes the schema through `entity`.
    static func rows(violating entity: Entity) -> [IngestValue] {
        let good: IngestValue = .object([(key: "id", value: .int(2)), (key: "name", value: .string("good"))])
        let bad: IngestValue = switch entity {
        case .tables: .object([(key: "id", value: .int(3)), (key: "name", value: .string("bad")), (key: "tags", value: .array([.string("new table")]))])
        case .columns: .object([(key: "id", value: .int(3)), (key: "name", value: .string("bad")), (key: "extra", value: .string("new column"))])
        case .dataType: .object([(key: "id", value: .string("three")), (key: "name", value: .string("bad"))])
        }
        return [good, bad]
    }

    static func contract(_ entity: Entity, _ mode: SchemaContract.Mode) -> SchemaContract {
        switch entity {
        case .tables: SchemaContract(tables: mode)
        case .columns: SchemaContract(columns: mode)
        case .dataType: SchemaContract(dataType: mode)
        }
    }

    func prepared() async throws -> (IngestSandbox, Pipeline) {
        let sandbox = try IngestSandbox()
        let pipeline = try sandbox.pipeline()
        _ = try await pipeline.run([.object([(key: "id", value: .int(1)), (key: "name", value: .string("first"))])], table: "t")
        return (sandbox, pipeline)
    }

    func resource(_ entity: Entity, _ mode: SchemaContract.Mode) -> Resource {
        .rows("t", Self.rows(violating: entity), hints: TableHints(table: "t", schemaContract: Self.contract(entity, mode)))
    }

    @Test(arguments: Entity.allCases)
    func freezeFailsNamingTableColumnAndEntityAndLoadsNothing(_ entity: Entity) async throws {
        let (sandbox, pipeline) = try await prepared()
        let error = await #expect(throws: IngestError.self) { try await pipeline.run(resource(entity, .freeze)) }
        #expect(error?.kind == .contractViolation)
        let expected = switch entity {
        case .tables: "table t__tags, row 2: the table t__tags is new and tables are frozen"
        case .columns: "table t, column extra, row 2: the column extra is new and columns are frozen"
        case .dataType: "table t, column id, row 2: a text value does not fit the bigint column id and data_type are frozen"
        }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        #expect(try sandbox.query("SELECT id FROM github.t") == [[.bigint(1)]])
        #expect(try sandbox.count("github._dlt_loads") == 1)
        // The package was set aside: the next run is not blocked by it.
        let next = try await pipeline.run([.object([(key: "id", value: .int(9)), (key: "name", value: .string("later"))])], table: "t")
        #expect(next.packages.count == 1)
    }

    @Test(arguments: Entity.allCases)
    func discardRowDropsTheWholeRowAndCountsIt(_ entity: Entity) async throws {
        let (sandbox, pipeline) = try await prepared()
        let info = try await pipeline.run(resource(entity, .discardRow))
        #expect(try sandbox.query("SELECT id FROM github.t ORDER BY id") == [[.bigint(1)], [.bigint(2)]])
        #expect(info.discardedRows == [(entity == .tables ? "t__tags" : "t"): 1])
        #expect(info.description.contains("Discarded by the schema contract:"))
        let columns = try sandbox.query("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'github' AND table_name = 't'")
        #expect(columns == [[.bigint(4)]], "no column was added")
        #expect(try sandbox.query("SELECT count(*) FROM information_schema.tables WHERE table_name = 't__tags'") == [[.bigint(0)]])
    }

    @Test(arguments: Entity.allCases)
    func discardValueDropsOnlyTheValue(_ entity: Entity) async throws {
        let (sandbox, pipeline) = try await prepared()
        let info = try await pipeline.run(resource(entity, .discardValue))
        switch entity {
        case .tables:
            // A row cannot go without its table: the new table's rows are dropped, as with discard_row.
            #expect(info.discardedRows == ["t__tags": 1])
            #expect(try sandbox.query("SELECT id FROM github.t ORDER BY id") == [[.bigint(1)], [.bigint(2)]])
        case .columns:
            #expect(info.discardedValues == ["t": 1])
            #expect(try sandbox.query("SELECT id, name FROM github.t ORDER BY id") == [[.bigint(1), .varchar("first")], [.bigint(2), .varchar("good")], [.bigint(3), .varchar("bad")]])
        case .dataType:
            #expect(info.discardedValues == ["t": 1])
            #expect(try sandbox.query("SELECT id, name FROM github.t ORDER BY name") == [[.null, .varchar("bad")], [.bigint(1), .varchar("first")], [.bigint(2), .varchar("good")]])
        }
        #expect(try sandbox.query("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'github' AND table_name = 't'") == [[.bigint(4)]])
    }

    @Test(arguments: Entity.allCases)
    func evolveLetsEverythingThrough(_ entity: Entity) async throws {
        let (sandbox, pipeline) = try await prepared()
        let info = try await pipeline.run(resource(entity, .evolve))
        #expect(info.discardedRows.isEmpty && info.discardedValues.isEmpty)
        #expect(try sandbox.count("github.t") == 3)
    }

    @Test func aRunContractOverridesTheResources() async throws {
        let (sandbox, pipeline) = try await prepared()
        let error = await #expect(throws: IngestError.self) { try await pipeline.run(resource(.columns, .evolve), schemaContract: .freeze) }
        #expect(error?.kind == .contractViolation)
        #expect(try sandbox.count("github.t") == 1)
    }

    @Test func aSourceContractAppliesToResourcesWithoutTheirOwn() async throws {
        let (sandbox, pipeline) = try await prepared()
        let frozen = Source("github", resources: [.rows("t", Self.rows(violating: .columns), hints: TableHints(table: "t"))], schemaContract: .freeze)
        let error = await #expect(throws: IngestError.self) { try await pipeline.run(frozen) }
        #expect(error?.kind == .contractViolation)
        // A resource's own contract wins over its source's.
        let own = Source("github", resources: [resource(.columns, .evolve)], schemaContract: .freeze)
        _ = try await pipeline.run(own)
        #expect(try sandbox.count("github.t") == 3)
    }

    @Test func aNewTablesFirstRowMayBringAnyColumnsButLaterRowsFollowTheColumnsContract() async throws {
        let sandbox = try IngestSandbox()
        let rows: [IngestValue] = [
            .object([(key: "id", value: .int(1)), (key: "name", value: .string("a"))]),
            .object([(key: "id", value: .int(2)), (key: "late", value: .string("b"))]),
        ]
        let info = try await sandbox.pipeline().run(.rows("t", rows, hints: TableHints(table: "t", schemaContract: SchemaContract(columns: .discardValue))))
        #expect(info.discardedValues == ["t": 1])
        #expect(try sandbox.query("SELECT id, name FROM github.t ORDER BY id") == [[.bigint(1), .varchar("a")], [.bigint(2), .null]])
    }
}
