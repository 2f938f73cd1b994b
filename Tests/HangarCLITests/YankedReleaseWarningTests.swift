import Foundation
@testable import HangarRuntime
import HangarTestSupport
import Testing

/// Requirements pinned to a yanked release: a warning with the index's reason, from a real index
/// server on 127.0.0.1 speaking PEP 691 JSON or PEP 592 HTML.
struct YankedReleaseWarningTests {
    /// A package index of two projects, served by Python's http.server from a scratch folder.
    final class LocalIndex {
        let folder: ScratchDirectory
        let process = Process()
        let url: String

        init() throws {
            folder = try ScratchDirectory()
            let root = folder.url
            // dlt: an HTML page (PEP 592), 1.27.0 yanked with a reason, 1.27.2 not.
            try FileManager.default.createDirectory(at: root.appendingPathComponent("dlt"), withIntermediateDirectories: true)
            try Data("""
                <html><body>
                <a href="../files/dlt-1.27.0-py3-none-any.whl" data-yanked="Data-loss bug: incremental merge truncates the destination table. Fixed in 1.27.2">dlt-1.27.0-py3-none-any.whl</a>
                <a href="../files/dlt-1.27.0.tar.gz" data-yanked="Data-loss bug: incremental merge truncates the destination table. Fixed in 1.27.2">dlt-1.27.0.tar.gz</a>
                <a href="../files/dlt-1.27.2-py3-none-any.whl">dlt-1.27.2-py3-none-any.whl</a>
                </body></html>
                """.utf8).write(to: root.appendingPathComponent("dlt/index.html"))
            // my-lib: JSON (PEP 691) saved as index.html; http.server sends it as text/html, so
            // the JSON parsing is tested directly below and this page stands for "not yanked".
            try FileManager.default.createDirectory(at: root.appendingPathComponent("my-lib"), withIntermediateDirectories: true)
            try Data("<a href=\"x\">my_lib-2.0-py3-none-any.whl</a>".utf8).write(to: root.appendingPathComponent("my-lib/index.html"))
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-u", "-m", "http.server", "--bind", "127.0.0.1", "0", "--directory", root.path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            guard let range = line.range(of: "(http://"), let end = line[range.upperBound...].firstIndex(of: ")") else {
                process.terminate()
                throw TestFailure("http.server did not start: \(line)")
            }
            url = "http://" + line[range.upperBound..<end].trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        }

        deinit {
            // SIGKILL: a child started from a test thread may inherit a mask that blocks SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test func exactPinsAreReadAndOthersIgnored() {
        #expect(YankedReleases.pin(in: "dlt[motherduck]==1.27.0")?.project == "dlt")
        #expect(YankedReleases.pin(in: "Foo.Bar_baz === 2.0 ; python_version > '3'")?.project == "foo-bar-baz")
        #expect(YankedReleases.pin(in: "Foo.Bar_baz === 2.0 ; python_version > '3'")?.version == "2.0")
        #expect(YankedReleases.pin(in: "httpx>=0.28") == nil)
        #expect(YankedReleases.pin(in: "httpx==0.*") == nil)
        #expect(YankedReleases.pin(in: "-r other.txt") == nil)
    }

    @Test func pep691JSONNamesTheYankedFilesAndReasons() {
        let json = """
            {"meta": {"api-version": "1.1"}, "name": "dlt", "files": [
              {"filename": "dlt-1.27.0-py3-none-any.whl", "url": "x", "hashes": {}, "yanked": "Data-loss bug"},
              {"filename": "dlt-1.26.0-py3-none-any.whl", "url": "x", "hashes": {}, "yanked": true},
              {"filename": "dlt-1.27.2-py3-none-any.whl", "url": "x", "hashes": {}, "yanked": false},
              {"filename": "dlt-1.25.0.tar.gz", "url": "x", "hashes": {}}
            ]}
            """
        let files = YankedReleases.parseJSON(Data(json.utf8)) ?? []
        #expect(files.map(\.yanked) == ["Data-loss bug", "", nil, nil])
    }

    @Test func theIndexsReasonReachesCreateAndUpdate() throws {
        let index = try LocalIndex()
        let found = YankedReleases.check("duckdb==1.5.3\ndlt[motherduck]==1.27.0\nmy_lib==2.0\n", indexURL: index.url)
        #expect(found.map(\.requirement) == ["dlt[motherduck]==1.27.0"])
        #expect(found.first?.reason == "Data-loss bug: incremental merge truncates the destination table. Fixed in 1.27.2")
        #expect(YankedReleases.check("dlt==1.27.2\n", indexURL: index.url).isEmpty)
        // An index that cannot be reached warns of nothing and fails nothing.
        #expect(YankedReleases.check("dlt==1.27.0\n", indexURL: "http://127.0.0.1:9/simple", timeout: 2).isEmpty)

        // Through the CLI and the SQL surface, with pip's index set to the local one.
        let home = try FlightsTestHome()
        let requirements = try home.file("requirements.txt", "dlt[motherduck]==1.27.0\n")
        let created = try HangarProcess.run(["create", "yanked_flight", "--source", try home.file("main.py", "print(1)\n"),
                                             "--requirements", requirements, "--home", home.home],
                                            environment: ["PIP_INDEX_URL": index.url])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("warning: dlt[motherduck]==1.27.0 pins a yanked release (dlt 1.27.0: \"Data-loss bug: incremental merge truncates the destination table. Fixed in 1.27.2\"); pick another version"), "\(created.stderr)")
        let flightID = try JSONOutput.object(try home.hangar("show", "yanked_flight", "--json").stdout)["flight_id"] as? String ?? ""
        let updated = try HangarProcess.run(["sql", "--home", home.home, "-c",
                                             "SELECT current_version FROM MD_UPDATE_FLIGHT(flight_id := '\(flightID)', requirements_txt := 'dlt==1.27.0')"],
                                            environment: ["PIP_INDEX_URL": index.url])
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stderr.contains("warning: dlt==1.27.0 pins a yanked release"), "\(updated.stderr)")
        let fine = try HangarProcess.run(["update", "yanked_flight", "--requirements", try home.file("ok.txt", "dlt==1.27.2\n"), "--home", home.home],
                                         environment: ["PIP_INDEX_URL": index.url])
        #expect(fine.status == 0 && !fine.stderr.contains("warning:"), "\(fine.stderr)")
    }
}
