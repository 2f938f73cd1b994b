import Foundation
@testable import HangarIngest
import HangarTestSupport
import Testing

/// The manifest's time is written without Foundation's ISO 8601 formatter (whose time-zone
/// tables cost every run a few milliseconds), in the same form, and manifests written by it read.
struct PackageManifestTests {
    func manifest(createdAt: Date) -> PackageManifest {
        PackageManifest(state: "extracted", createdAt: createdAt, sourceName: "github", resources: [], loaderFileFormat: .parquet,
                        rowCounts: ["repos": 3], replaceTables: [], tables: ["repos"])
    }

    /// A folder of the test's own (each test gets a value of the suite of its own).
    let scratch: ScratchDirectory

    init() throws {
        scratch = try ScratchDirectory()
    }

    /// A manifest as Foundation's own `.iso8601` strategy writes it.
    func foundationEncoded(_ manifest: PackageManifest) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(manifest)
    }

    @Test(arguments: [0, 951_782_400.5, 1_796_126_896.999, -86_401])
    func createdAtIsWrittenAsFoundationWritesIt(seconds: Double) throws {
        let folder = scratch.url
        defer { try? FileManager.default.removeItem(at: folder) }
        let date = Date(timeIntervalSince1970: seconds)
        try manifest(createdAt: date).write(to: folder)
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(PackageManifest.fileName))) as? [String: Any]
        #expect(written?["created_at"] as? String == ISO8601DateFormatter().string(from: date))
        #expect(try PackageManifest.read(from: folder) == manifest(createdAt: Date(timeIntervalSince1970: seconds.rounded(.down))))
    }

    @Test func aManifestWrittenByFoundationReads() throws {
        let folder = scratch.url
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = manifest(createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        try foundationEncoded(old).write(to: folder.appendingPathComponent(PackageManifest.fileName))
        #expect(try PackageManifest.read(from: folder) == old)
    }

    @Test func aDamagedTimeSaysWhichFile() throws {
        let folder = scratch.url
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = String(decoding: try foundationEncoded(manifest(createdAt: Date(timeIntervalSince1970: 0))), as: UTF8.self)
            .replacingOccurrences(of: "1970-01-01T00:00:00Z", with: "yesterday")
        try Data(text.utf8).write(to: folder.appendingPathComponent(PackageManifest.fileName))
        let error = #expect(throws: IngestError.self) { try PackageManifest.read(from: folder) }
        #expect(error?.message.contains("load_package_state.json") == true)
        #expect(error?.message.contains("not an ISO 8601 time: yesterday") == true)
    }
}
