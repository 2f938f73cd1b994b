import Foundation
@testable import HangarRuntime
import Testing

struct SecretMaskerTests {
    @Test func everyOccurrenceIsMasked() {
        let masker = SecretMasker(["hunter22"])
        #expect(masker.mask("password=hunter22; again hunter22hunter22!") == "password=***; again ***!")
    }

    @Test func overlappingAndNestedValuesMaskFullyWhateverTheirOrder() {
        #expect(SecretMasker(["abcdef", "cdefgh"]).mask("[abcdefgh]") == "[***]")
        #expect(SecretMasker(["cdefgh", "abcdef"]).mask("[abcdefgh]") == "[***]")
        #expect(SecretMasker(["abc", "abcdef"]).mask("abcdef abc") == "*** ***")
    }

    @Test func emptyAndVeryShortValuesAreNotMasked() {
        let masker = SecretMasker(["", "a", "id", "xyz"])
        #expect(masker.mask("a id xyz") == "a id ***")
        #expect(SecretMasker(["id"], minimumLength: 1).mask("a id") == "a ***")
    }

    @Test func aMultiLineSecretIsMaskedLineByLine() {
        let masker = SecretMasker(["-----BEGIN KEY-----\r\nMIIEvQIBADANBg\n-----END KEY-----"])
        #expect(masker.mask("MIIEvQIBADANBg") == "***")
        #expect(masker.mask("-----END KEY-----") == "***")
    }

    @Test func nonASCIISecretsMatchByBytes() {
        #expect(SecretMasker(["pässwörd"]).mask("x=pässwörd") == "x=***")
    }

    @Test func aSecretStraddlingTheCutOfALongLineIsMaskedWhole() {
        var assembler = LineAssembler(stream: .stdout, maxLineBytes: 10, masker: SecretMasker(["SECRETXYZ"]))
        var lines: [CapturedLine] = []
        let input = Array("1234567SECRETXYZ and more\n123 a SECRETXYZ and the rest".utf8)
        input.withUnsafeBytes { assembler.append($0, at: Date(), into: &lines) }
        assembler.finish(at: Date(), into: &lines)
        #expect(lines.map(\.text) == ["1234567***" + CapturedLine.truncationMark, "123 a ***" + CapturedLine.truncationMark])
        #expect(lines.allSatisfy { $0.isTruncated })
        #expect(lines.allSatisfy { !$0.text.contains("SEC") })
    }

    @Test func linesArriveWhateverTheChunking() {
        var assembler = LineAssembler(stream: .stderr, maxLineBytes: 100, masker: .none)
        var lines: [CapturedLine] = []
        for chunk in ["he", "llo\r", "\nwor", "ld\n\n", "tail"] {
            Array(chunk.utf8).withUnsafeBytes { assembler.append($0, at: Date(), into: &lines) }
        }
        assembler.finish(at: Date(), into: &lines)
        #expect(lines.map(\.text) == ["hello", "world", "", "tail"])
        #expect(lines.allSatisfy { $0.stream == .stderr && !$0.isTruncated })
    }
}
