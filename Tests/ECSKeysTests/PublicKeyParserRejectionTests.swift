import ECSKeys
import Foundation
import Testing

/// Asserts that `text` is refused, with a reason containing `reason` (so each case fails for the intended cause).
func expectRejected(_ text: String, because reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do throws(PublicKeyError) {
        let parsed = try PublicKeyParser.parse(text)
        Issue.record("accepted a \(parsed.type) key of \(parsed.bits) bits; expected refusal (\(reason))", sourceLocation: sourceLocation)
    } catch {
        switch error {
        case .malformed(let message):
            #expect(message.contains(reason), "reason was: \(message)", sourceLocation: sourceLocation)
        }
    }
}

@Suite("PublicKeyParser rejects")
struct PublicKeyParserRejectionTests {
    static var rsaBlob: [UInt8] { TestKeys.blob(of: FingerprintTests.rsa) }
    static var ecdsa384Blob: [UInt8] { TestKeys.blob(of: FingerprintTests.ecdsa384) }

    @Test("ssh-ed25519 made by ssh-keygen")
    func ed25519() throws {
        let directory = try TemporaryDirectory()
        let line = try SSHKeygen.generate(type: "ed25519", bits: nil, comment: "ed", in: directory, name: "ed")
        #expect(line.hasPrefix("ssh-ed25519 "))
        expectRejected(line, because: "unsupported key type")
    }

    @Test("certificates made by ssh-keygen -s, under their own type and disguised as ssh-rsa")
    func certificate() throws {
        let directory = try TemporaryDirectory()
        _ = try SSHKeygen.generate(type: "ecdsa", bits: 256, comment: "ca", in: directory, name: "ca")
        _ = try SSHKeygen.generate(type: "rsa", bits: 2048, comment: "user", in: directory, name: "user")
        _ = try SSHKeygen.check(["-q", "-s", directory.path("ca"), "-I", "test", "-n", "user", directory.path("user.pub")])
        let cert = try String(contentsOfFile: directory.path("user-cert.pub"), encoding: .utf8)
        #expect(cert.hasPrefix("ssh-rsa-cert-v01@openssh.com "))
        expectRejected(cert, because: "unsupported key type")
        expectRejected(WireBuilder.line("ssh-rsa", TestKeys.blob(of: cert)), because: "but the line says ssh-rsa")
    }

    @Test("RSA moduli below 1024 bits")
    func smallRSA() {
        expectRejected(WireBuilder.line("ssh-rsa", TestKeys.rsaBlob(n: TestKeys.modulus(bits: 768))), because: "768 bits is below 1024")
        expectRejected(WireBuilder.line("ssh-rsa", TestKeys.rsaBlob(n: TestKeys.modulus(bits: 1023))), because: "1023 bits is below 1024")
        expectRejected(WireBuilder.line("ssh-rsa", TestKeys.rsaBlob(n: TestKeys.modulus(bits: 16392))), because: "above 16384")
    }

    @Test("RSA exponent and modulus values")
    func rsaValues() {
        let n = TestKeys.modulus(bits: 2048)
        expectRejected(WireBuilder.line("ssh-rsa", TestKeys.rsaBlob(e: [0x01, 0x00, 0x00], n: n)), because: "odd")
        expectRejected(WireBuilder.line("ssh-rsa", TestKeys.rsaBlob(e: [0x01], n: n)), because: "greater than 1")
        expectRejected(WireBuilder.line("ssh-rsa", TestKeys.rsaBlob(e: [], n: n)), because: "odd")
        expectRejected(WireBuilder.line("ssh-rsa", TestKeys.rsaBlob(n: [])), because: "RSA n must be positive")
        // Hand-made mpints: negative n (high bit without a sign byte), superfluous leading zero on e.
        let negative = WireBuilder().string("ssh-rsa").mpint(TestKeys.f4).string(n).bytes
        expectRejected(WireBuilder.line("ssh-rsa", negative), because: "RSA n is negative")
        let padded = WireBuilder().string("ssh-rsa").string([0x00, 0x01, 0x00, 0x01]).mpint(n).bytes
        expectRejected(WireBuilder.line("ssh-rsa", padded), because: "superfluous leading zero")
    }

    @Test("outer type differs from the type inside the blob")
    func typeMismatch() {
        expectRejected(WireBuilder.line("ssh-dss", Self.rsaBlob), because: "but the line says ssh-dss")
        expectRejected(WireBuilder.line("ssh-rsa", Self.ecdsa384Blob), because: "but the line says ssh-rsa")
        expectRejected(WireBuilder.line("ecdsa-sha2-nistp256", Self.ecdsa384Blob), because: "but the line says ecdsa-sha2-nistp256")
    }

    @Test("truncated blobs")
    func truncated() {
        let blob = Self.rsaBlob
        for keep in [blob.count - 1, blob.count - 200, 30, 11, 3, 1] {
            expectRejected(WireBuilder.line("ssh-rsa", Array(blob.prefix(keep))), because: "truncated")
        }
        expectRejected(WireBuilder.line("ecdsa-sha2-nistp384", Array(Self.ecdsa384Blob.dropLast())), because: "truncated")
        expectRejected(WireBuilder.line("ssh-dss", Array(TestKeys.blob(of: FingerprintTests.dsa).dropLast(5))), because: "truncated")
        // A DSA key with only three of its four mpints.
        let threeMPInts = WireBuilder().string("ssh-dss").mpint([0xC5, 0x01]).mpint([0x71]).mpint([0x02]).bytes
        expectRejected(WireBuilder.line("ssh-dss", threeMPInts), because: "truncated")
    }

    @Test("trailing bytes after the key")
    func trailing() {
        expectRejected(WireBuilder.line("ssh-rsa", Self.rsaBlob + [0]), because: "1 trailing bytes")
        expectRejected(WireBuilder.line("ecdsa-sha2-nistp384", WireBuilder(bytes: Self.ecdsa384Blob).string("extra").bytes), because: "trailing")
        expectRejected(WireBuilder.line("ssh-dss", TestKeys.blob(of: FingerprintTests.dsa) + [0, 0, 0, 0]), because: "trailing")
    }

    @Test("DSA with a zero parameter")
    func dsaZero() {
        let blob = WireBuilder().string("ssh-dss").mpint(TestKeys.modulus(bits: 1024)).mpint([]).mpint([0x02]).mpint([0x05]).bytes
        expectRejected(WireBuilder.line("ssh-dss", blob), because: "DSA q must be positive")
    }

    @Test("bad base64")
    func badBase64() {
        expectRejected("ssh-rsa AAAA!!!!", because: "base64")
        expectRejected("ssh-rsa AAAAB3NzaC1yc2E", because: "base64")
        expectRejected("ssh-rsa AAAAB3Nz*C1yc2EAAAADAQAB", because: "base64")
        let data = TestKeys.typeAndData(of: FingerprintTests.rsa)
        expectRejected(data.replacingOccurrences(of: "AAAAB3Nza", with: "AAAAB3Nz_"), because: "base64")
        // Inputs Foundation's lenient decoder would take.
        expectRejected("ssh-rsa ====", because: "base64")
        expectRejected("ssh-rsa AA=A", because: "base64")
        expectRejected(data + "====", because: "base64")
        // Missing padding, and non-zero bits after the last byte ("…Tg==" → "…Th==" decodes to the same bytes).
        let ecdsa = TestKeys.typeAndData(of: FingerprintTests.ecdsa384)
        #expect(ecdsa.hasSuffix("Tg=="))
        expectRejected(String(ecdsa.dropLast(2)), because: "base64")
        expectRejected(String(ecdsa.dropLast(3)) + "h==", because: "base64")
        expectRejected("ssh-rsa -_-_" + base64URL(data), because: "base64")
    }

    private func base64URL(_ data: String) -> String {
        String(data.dropFirst("ssh-rsa ".count)).replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    @Test("ECDSA points that are not valid uncompressed points on the named curve")
    func ecdsaPoints() {
        func line(_ type: String, _ curve: String, _ point: [UInt8]) -> String {
            WireBuilder.line(type, WireBuilder().string(type).string(curve).string(point).bytes)
        }
        // (0, 0) is not on P-256 (b ≠ 0).
        expectRejected(line("ecdsa-sha2-nistp256", "nistp256", [0x04] + Array(repeating: 0, count: 64)), because: "not on nistp256")
        // A real P-384 point with one bit of y flipped.
        var blob = Self.ecdsa384Blob
        blob[blob.count - 1] ^= 0x01
        expectRejected(WireBuilder.line("ecdsa-sha2-nistp384", blob), because: "not on nistp384")
        // x = p on P-521 (a coordinate out of range).
        let p521 = [0x01] + Array(repeating: UInt8(0xFF), count: 65)
        expectRejected(line("ecdsa-sha2-nistp521", "nistp521", [0x04] + p521 + Array(repeating: 0, count: 66)), because: "not on nistp521")
        // Compressed form, point at infinity, wrong length.
        let real = Array(Self.ecdsa384Blob.suffix(97))
        #expect(real.first == 0x04)
        expectRejected(line("ecdsa-sha2-nistp384", "nistp384", [0x02] + real[1...48]), because: "not an uncompressed")
        expectRejected(line("ecdsa-sha2-nistp384", "nistp384", [0x00]), because: "not an uncompressed")
        expectRejected(line("ecdsa-sha2-nistp384", "nistp384", Array(real.dropLast())), because: "not an uncompressed")
        expectRejected(line("ecdsa-sha2-nistp384", "nistp384", [0x03] + Array(real.dropFirst())), because: "not an uncompressed")
        // Curve identifier that does not match the type.
        expectRejected(line("ecdsa-sha2-nistp384", "nistp256", real), because: "does not match")
    }

    @Test("empty and blank")
    func empty() {
        expectRejected("", because: "empty")
        expectRejected("  \n\t \r\n", because: "empty")
    }

    @Test("PEM and RFC 4716 text")
    func pem() throws {
        let pair = try KeyGenerator.generateRSA2048()
        expectRejected(pair.privateKeyPEM, because: "not a single line")
        expectRejected("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n", because: "not a single line")
        expectRejected("-----BEGIN RSA PUBLIC KEY----- MIIBCgKCAQEA -----END RSA PUBLIC KEY-----", because: "unsupported key type")

        let directory = try TemporaryDirectory()
        let pubPath = directory.path("fixed.pub")
        try (FingerprintTests.rsa + "\n").write(toFile: pubPath, atomically: true, encoding: .utf8)
        let rfc4716 = try SSHKeygen.check(["-e", "-m", "RFC4716", "-f", pubPath])
        #expect(rfc4716.hasPrefix("---- BEGIN SSH2 PUBLIC KEY ----"))
        expectRejected(rfc4716, because: "not a single line")
        let pkcs8 = try SSHKeygen.check(["-e", "-m", "PKCS8", "-f", pubPath])
        #expect(pkcs8.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        expectRejected(pkcs8, because: "not a single line")
    }

    @Test("garbage, other types, options, several keys, oversize")
    func garbage() {
        let data = TestKeys.typeAndData(of: FingerprintTests.rsa)
        let base64 = String(data.dropFirst("ssh-rsa ".count))
        expectRejected("hello", because: "no key data")
        expectRejected("hello world", because: "unsupported key type")
        expectRejected("ssh-rsa", because: "no key data")
        expectRejected(base64, because: "no key data")
        expectRejected("SSH-RSA " + base64, because: "unsupported key type")
        expectRejected("rsa-sha2-256 " + base64, because: "unsupported key type")
        expectRejected("sk-ecdsa-sha2-nistp256@openssh.com " + base64, because: "unsupported key type")
        expectRejected("from=\"10.0.0.1\" " + data, because: "unsupported key type")
        expectRejected(data + "\n" + data, because: "not a single line")
        expectRejected(data + " comment\0with NUL", because: "not a single line")
        expectRejected(data + " " + String(repeating: "x", count: PublicKeyParser.maximumLength), because: "longer than")
    }
}
