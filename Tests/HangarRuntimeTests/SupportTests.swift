import Foundation
@testable import HangarRuntime
import Testing

struct SupportTests {
    @Test func sha256MatchesKnownDigests() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(String(repeating: "a", count: 1000))
            == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func requirementsDifferingOnlyInCommentsSpacingAndOrderShareAKey() {
        let guide = PythonRequirements("duckdb==1.5.3\ndlt[motherduck]==1.27.0\nhttpx==0.28.1")
        let reordered = PythonRequirements("# pinned\n  httpx==0.28.1   # http\n\ndlt[motherduck]==1.27.0\r\nduckdb==1.5.3\nduckdb==1.5.3\n")
        #expect(guide.normalized == ["dlt[motherduck]==1.27.0", "duckdb==1.5.3", "httpx==0.28.1"])
        #expect(guide.key(pythonVersion: "3.11.7") == reordered.key(pythonVersion: "3.11.7"))
        #expect(guide.key(pythonVersion: "3.11.7") != guide.key(pythonVersion: "3.12.1"))
        #expect(guide.key(pythonVersion: "3.11.7") != PythonRequirements("duckdb==1.5.2").key(pythonVersion: "3.11.7"))
        #expect(PythonRequirements("pkg @ https://example.invalid/p.whl#sha256=ab").normalized == ["pkg @ https://example.invalid/p.whl#sha256=ab"])
        #expect(PythonRequirements("# only a comment\n\n").isEmpty)
    }

    @Test func pipsConfigurationTranslatesToUvVariables() {
        let settings = PackageIndexSettings.parse([
            ":env:.cert='/etc/ssl/certs/ca-certificates.crt'",
            ":env:.find-links='/opt/wheels'",
            "global.find-links='/somewhere/else'",
            "global.index-url='https://mirror.invalid/simple'",
            "global.extra-index-url='https://a.invalid/simple\\nhttps://b.invalid/simple'",
            "global.trusted-host='mirror.invalid'",
        ])
        #expect(settings.findLinks == ["/opt/wheels"])
        #expect(settings.extraIndexURLs == ["https://a.invalid/simple", "https://b.invalid/simple"])
        let variables = settings.uvVariables(given: ["SSL_CERT_FILE": "/already/set.pem"])
        #expect(variables == ["UV_INDEX_URL": "https://mirror.invalid/simple", "UV_FIND_LINKS": "/opt/wheels",
                              "UV_EXTRA_INDEX_URL": "https://a.invalid/simple https://b.invalid/simple",
                              "UV_INSECURE_HOST": "mirror.invalid"])
    }

    @Test func outcomesDescribeThemselves() {
        let start = Date()
        let timedOut = RunOutcome(termination: .signalled(signal: SIGKILL), reason: .timedOut, startedAt: start,
                                  endedAt: start.addingTimeInterval(31), maxRuntime: 30)
        #expect(timedOut.description == "timed out after 30 s (max runtime) and its process group was terminated: killed by SIGKILL (signal 9)")
    }
}
