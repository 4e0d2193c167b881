import ECSKeys
import Foundation
import Testing

@Suite("PublicKeyParser accepts")
struct PublicKeyParserAcceptanceTests {
    struct Kind: Sendable, CustomTestStringConvertible {
        var keygenType: String
        var keygenBits: Int?
        var sshType: String
        var bits: Int
        var testDescription: String { "\(keygenType) \(keygenBits.map(String.init) ?? "")" }
    }

    static let kinds: [Kind] = [
        Kind(keygenType: "rsa", keygenBits: 2048, sshType: "ssh-rsa", bits: 2048),
        Kind(keygenType: "rsa", keygenBits: 1024, sshType: "ssh-rsa", bits: 1024),
        Kind(keygenType: "rsa", keygenBits: 3072, sshType: "ssh-rsa", bits: 3072),
        Kind(keygenType: "ecdsa", keygenBits: 256, sshType: "ecdsa-sha2-nistp256", bits: 256),
        Kind(keygenType: "ecdsa", keygenBits: 384, sshType: "ecdsa-sha2-nistp384", bits: 384),
        Kind(keygenType: "ecdsa", keygenBits: 521, sshType: "ecdsa-sha2-nistp521", bits: 521),
    ]

    @Test("keys made by ssh-keygen, fingerprints as ssh-keygen -l -E md5 prints them", arguments: kinds)
    func sshKeygenKey(kind: Kind) throws {
        let directory = try TemporaryDirectory()
        let comment = "user@host with spaces"
        let line = try SSHKeygen.generate(type: kind.keygenType, bits: kind.keygenBits, comment: comment, in: directory, name: "key")
        let listing = try SSHKeygen.md5Listing(ofPublicKeyFile: directory.path("key.pub"))

        let parsed = try PublicKeyParser.parse(line)
        #expect(parsed.type == kind.sshType)
        #expect(parsed.bits == kind.bits)
        #expect(parsed.bits == listing.bits)
        #expect(parsed.fingerprint == listing.md5)
        #expect(parsed.comment == comment)
        #expect(parsed.normalized == TestKeys.typeAndData(of: line))
        #expect(parsed.blob == TestKeys.blob(of: line))
    }

    @Test("ssh-dss made by ssh-keygen (or, where OpenSSH dropped DSA, the ssh-keygen-made fixed vector)")
    func dsa() throws {
        let directory = try TemporaryDirectory()
        let line: String
        let expected: SSHKeygen.Listing
        let made = try SSHKeygen.run(["-q", "-t", "dsa", "-N", "", "-C", "dsa key", "-f", directory.path("dsa")])
        if made.status == 0 {
            line = try String(contentsOfFile: directory.path("dsa.pub"), encoding: .utf8)
            expected = try SSHKeygen.md5Listing(ofPublicKeyFile: directory.path("dsa.pub"))
        } else {
            // OpenSSH ≥ 10 cannot make (or list) DSA keys any more.
            line = FingerprintTests.dsa
            expected = .init(bits: 1024, md5: FingerprintTests.dsaMD5)
        }
        let parsed = try PublicKeyParser.parse(line)
        #expect(parsed.type == "ssh-dss")
        #expect(parsed.bits == expected.bits)
        #expect(parsed.fingerprint == expected.md5)
    }

    @Test("surrounding whitespace, tabs, CRLF and a comment with spaces")
    func whitespaceAndComment() throws {
        let plain = try PublicKeyParser.parse(FingerprintTests.rsa)
        let data = plain.normalized

        let variants: [(String, String?)] = [
            (data, nil),
            ("  \n\t" + data + "  \r\n\n", nil),
            (data + "   ", nil),
            (data.replacingOccurrences(of: " ", with: "\t"), nil),
            (data.replacingOccurrences(of: " ", with: "  \t ") + "\t  my  laptop key \t", "my  laptop key"),
            ("\n" + data + " a@b\r\n", "a@b"),
            (data + " 中文 comment ✓", "中文 comment ✓"),
        ]
        for (text, comment) in variants {
            let parsed = try PublicKeyParser.parse(text)
            #expect(parsed.normalized == data)
            #expect(parsed.blob == plain.blob)
            #expect(parsed.fingerprint == FingerprintTests.rsaMD5)
            #expect(parsed.comment == comment, "\(text.debugDescription)")
        }
    }

    @Test("RSA boundary: a 1024-bit modulus is accepted; e = 3 is fine")
    func rsaBoundary() throws {
        let blob = TestKeys.rsaBlob(e: [3], n: TestKeys.modulus(bits: 1024))
        let parsed = try PublicKeyParser.parse(WireBuilder.line("ssh-rsa", blob))
        #expect(parsed.bits == 1024)
        #expect(parsed.fingerprint == Fingerprint.md5(blob: blob))
    }

    @Test("parsed values are Equatable and stable")
    func equatable() throws {
        let first = try PublicKeyParser.parse(FingerprintTests.ecdsa384)
        let second = try PublicKeyParser.parse("  " + FingerprintTests.ecdsa384 + "\n")
        #expect(first == second)
        #expect(first != (try PublicKeyParser.parse(FingerprintTests.rsa)))
    }
}
