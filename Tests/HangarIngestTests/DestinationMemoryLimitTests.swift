import DuckDB
import Foundation
@testable import HangarIngest
import Testing

/// Loads run under a small DuckDB memory limit and raise it when DuckDB runs out.
struct DestinationMemoryLimitTests {
    @Test func sizesAreReadAsDuckDBReadsThem() {
        #expect(DestinationMemoryLimit.bytes(in: "64MB") == 64_000_000)
        #expect(DestinationMemoryLimit.bytes(in: "64 MiB") == 64 << 20)
        #expect(DestinationMemoryLimit.bytes(in: "1.5GB") == 1_500_000_000)
        #expect(DestinationMemoryLimit.bytes(in: "512kb") == 512_000)
        #expect(DestinationMemoryLimit.bytes(in: "1000000") == 1_000_000)
        #expect(DestinationMemoryLimit.bytes(in: "lots") == nil)
        #expect(DestinationMemoryLimit.bytes(in: "64 parsecs") == nil)
    }

    @Test func aLimitRisesFourfoldUpToDuckDBsDefaultAndOneNotUnderstoodNeverDoes() throws {
        let raised = try #require(DestinationMemoryLimit("64MiB").raised())
        #expect(raised.setting == "256MiB")
        #expect(raised.bytes == 256 << 20)
        var limit = DestinationMemoryLimit("1MB")
        var steps = 0
        while let next = limit.raised() {
            #expect(try #require(next.bytes) > limit.bytes!)
            limit = next
            steps += 1
        }
        #expect(limit.bytes! <= DestinationMemoryLimit.ceiling && limit.bytes! >= DestinationMemoryLimit.ceiling - (1 << 20))
        #expect(steps < 20)
        #expect(DestinationMemoryLimit("lots").raised() == nil, "DuckDB rejects it when the destination opens")
    }

    @Test func aCommitThatRanOutOfMemoryCountsAsRunningOutOfMemory() {
        #expect(DestinationMemoryLimit.isOutOfMemory(DuckDBError(.outOfMemory, message: "could not allocate block of size 256.0 KiB")))
        #expect(DestinationMemoryLimit.isOutOfMemory(DuckDBError(.transaction, message: "Failed to commit: failed to pin block of size 256.0 KiB (30.3 MiB/30.5 MiB used)")))
        #expect(!DestinationMemoryLimit.isOutOfMemory(DuckDBError(.transaction, message: "Conflict on update")))
    }

    @Test func aLoadThatRunsOutOfMemoryIsTriedAgainWithMoreAndSaysSo() async throws {
        let sandbox = try IngestSandbox()
        var options = PipelineOptions()
        options.destinationMemoryLimit = "2MB"
        let rows: [IngestValue] = (0..<30_000).map { id in
            .object([("id", .int(Int64(id)))] + (0..<8).map { column in
                (key: "text_\(column)", value: .string(String(repeating: "\(column)\(id % 97)", count: 20)))
            })
        }
        let info = try await sandbox.pipeline(options: options).run(rows, table: "wide")
        #expect(try sandbox.count("github.wide") == 30_000)
        #expect(try sandbox.query("SELECT count(DISTINCT id) FROM github.wide").first?.first == .bigint(30_000), "the retry did not load anything twice")
        let warning = try #require(info.warnings.first { $0.contains("memory limit") }, "\(info.warnings)")
        #expect(warning.contains("2MB") && warning.contains("destinationMemoryLimit"))
        #expect(try sandbox.count("github._dlt_loads") == 1)
    }
}
