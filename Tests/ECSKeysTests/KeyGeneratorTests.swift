import ECSKeys
import Foundation
import Testing

@Suite("KeyGenerator.generateRSA2048")
struct KeyGeneratorTests {
    static let header = "-----BEGIN RSA PRIVATE KEY-----\n"
    static let footer = "-----END RSA PRIVATE KEY-----\n"

    @Test("private key is a PKCS#1 PEM block with 64-column base64 lines")
    func pemShape() throws {
        let pair = try KeyGenerator.generateRSA2048()
        let pem = pair.privateKeyPEM
        #expect(pem.hasPrefix(Self.header))
        #expect(pem.hasSuffix(Self.footer))
        #expect(!pem.contains("\r"))

        let body = pem.dropFirst(Self.header.count).dropLast(Self.footer.count)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "", "body ends with a newline before the footer")
        let content = lines.dropLast()
        try #require(content.count > 1)
        for line in content.dropLast() {
            #expect(line.count == 64)
        }
        #expect((1...64).contains(content.last!.count))

        let der = try #require(Data(base64Encoded: content.joined()))
        let bytes = [UInt8](der)
        // SEQUENCE (long form), version INTEGER 0, modulus INTEGER of 257 bytes (0x00 + 2048 bits):
        // the same prefix as the documented example body "MIIEpAIBAAKCAQEA…".
        #expect(bytes[0] == 0x30 && bytes[1] == 0x82)
        #expect(Int(bytes[2]) << 8 | Int(bytes[3]) == bytes.count - 4)
        #expect(Array(bytes[4..<12]) == [0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00])
        #expect(pem.dropFirst(Self.header.count).hasPrefix("MIIE"))
    }

    @Test("public key parses, matches its fingerprint and is 2048 bits")
    func publicKeyRoundTrip() throws {
        let pair = try KeyGenerator.generateRSA2048()
        #expect(pair.publicKey.hasPrefix("ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB"))
        #expect(!pair.publicKey.contains("\n"))
        let parsed = try PublicKeyParser.parse(pair.publicKey)
        #expect(parsed.type == "ssh-rsa")
        #expect(parsed.bits == 2048)
        #expect(parsed.comment == nil)
        #expect(parsed.normalized == pair.publicKey)
        #expect(parsed.fingerprint == pair.fingerprint)
        #expect(pair.fingerprint.count == 47)
    }

    @Test("ssh-keygen derives the same public key from the PEM and prints the same MD5 fingerprint")
    func agreesWithSSHKeygen() throws {
        let pair = try KeyGenerator.generateRSA2048()
        let directory = try TemporaryDirectory()
        let privatePath = directory.path("id_rsa")
        #expect(FileManager.default.createFile(
            atPath: privatePath,
            contents: Data(pair.privateKeyPEM.utf8),
            attributes: [.posixPermissions: 0o600]
        ))

        let derived = try SSHKeygen.check(["-y", "-f", privatePath])
        #expect(TestKeys.typeAndData(of: derived) == pair.publicKey)
        #expect(TestKeys.blob(of: derived) == TestKeys.blob(of: pair.publicKey))

        let listing = try SSHKeygen.md5Listing(ofPublicKey: pair.publicKey, in: directory)
        #expect(listing == .init(bits: 2048, md5: pair.fingerprint))
    }

    @Test("every call makes a new key")
    func fresh() throws {
        let first = try KeyGenerator.generateRSA2048()
        let second = try KeyGenerator.generateRSA2048()
        #expect(first.publicKey != second.publicKey)
        #expect(first.privateKeyPEM != second.privateKeyPEM)
        #expect(first.fingerprint != second.fingerprint)
    }

    @Test("description never shows the private key")
    func redacted() throws {
        let pair = try KeyGenerator.generateRSA2048()
        let printed = "\(pair) \(String(reflecting: pair))"
        #expect(!printed.contains("PRIVATE KEY"))
        #expect(!printed.contains("MIIE"))
        #expect(printed.contains(pair.fingerprint))
    }
}
