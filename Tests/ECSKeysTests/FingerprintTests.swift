import ECSKeys
import Testing

/// Fixed vectors. The key lines and their fingerprints were produced by OpenSSH 9.2 (`ssh-keygen -t … ;
/// ssh-keygen -l -E md5 -f key.pub`) once, by hand, and pasted here; the raw MD5 values are RFC 1321's.
@Suite("Fingerprint and fixed vectors")
struct FingerprintTests {
    static let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC4cQisKh1SjvX+v7PqE/B3KIFFoXsI7mcHZjbkof8/4lyF0b36HURfARvOidp40znwuUP1Liaya9VL8VEv7igCF2V2fEcs5W/wBwxIe3MB7CsCRWOmMeLKg8BJNNnSQFoQe44GVX1FpidqUavutdLE5buxnG18eC4782mcBKNrChvZY+/IqcrTuatDijqmcjWMYfPB32P1abRymtkIMq+vKlFMQGYWOCciyh2wQA+VMb4CYUbudPDOkTWPn4Da5mBg13x+PweIvy2h9ICoedspbqRzrlG0G+ED0glMErbQBlN8yyTzMbNXPqlRNthZnEKgr4i5dXeuPez6/dibjUk5 fixed vector@localecs"
    static let rsaMD5 = "c6:b0:29:99:17:59:3e:26:00:73:79:e9:80:b3:90:46"

    static let ecdsa384 = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBM7yXjOOfs/7Mlq05iW/807RBRaHyBFVow27n9SGfRD/UrokxQLyFxAgfDqP5TftjwOjjhyZ3OELVL1zBIntFZ8gjZmomMqQJVsdWqDfkkuMdyA1e7V6IyQkemmFh7z3Tg== ec vector"
    static let ecdsa384MD5 = "1e:50:76:e4:9a:7e:08:cb:9a:8c:bd:e6:c0:5c:03:eb"

    static let dsa = "ssh-dss AAAAB3NzaC1kc3MAAACBAJbXlgewWgotcomC/vuqPEjL9u/EqdDSjxpHaxpnJP58+ZVmioIGi/TZ1ff+aC/WiRxseJbyBwfFYHWR0//l5r/J9W1aEoh1W6LHuF0izvhZ88Id+UVm/Fe2M69l62RStTPgRtPKimVCUO1YiuxsuSEU+Jt2xfPDFRhz0vkx28UZAAAAFQDD5zM84pDKnzrSHhplsZAM8BMW4wAAAIAtMmrjNApFRDs9+xTM6xFWInN8OBupiECfkejoYpeaW8BrgBNNo+zl/zgwMVaz96DVCX+q973WM8nDDEqxPj/oSaY6YsAevYBqZ9yP7wYuNA1cRPxz/SmqD0S4BnJgQpYvJdBR/MXi9TdPHWB2J5YSYkalwF689Vukh6Bo7QzqvQAAAIAEB6hVnhxLLQxrHC2sA/H4BLfUFX4UqYurSZetToaklaXAf7x7WomdToKVjaq+HMbWNBF1xrV9gcBoq5MvDMqbrspyJg4IQlBev2ZpshryAnKmODXd/9EmZE/XLiLWaXMPEReLGIyXvRr5vDan6nb+Ru546p33ci5/JCCqL72AWg== dsa vector"
    static let dsaMD5 = "56:d5:1c:09:54:eb:eb:4e:6e:01:db:99:37:82:29:c7"

    @Test("RFC 1321 MD5 test values, in RFC 4716 layout")
    func rawMD5() {
        #expect(Fingerprint.md5(blob: []) == "d4:1d:8c:d9:8f:00:b2:04:e9:80:09:98:ec:f8:42:7e")
        #expect(Fingerprint.md5(blob: Array("abc".utf8)) == "90:01:50:98:3c:d2:4f:b0:d6:96:3f:7d:28:e1:7f:72")
    }

    @Test("ssh-rsa key fingerprinted by ssh-keygen")
    func rsaVector() throws {
        let parsed = try PublicKeyParser.parse(Self.rsa)
        #expect(parsed.fingerprint == Self.rsaMD5)
        #expect(Fingerprint.md5(blob: parsed.blob) == Self.rsaMD5)
        #expect(parsed.type == "ssh-rsa")
        #expect(parsed.bits == 2048)
        #expect(parsed.comment == "fixed vector@localecs")
        #expect(parsed.normalized == String(Self.rsa.dropLast(" fixed vector@localecs".count)))
    }

    @Test("ecdsa-sha2-nistp384 key fingerprinted by ssh-keygen")
    func ecdsaVector() throws {
        let parsed = try PublicKeyParser.parse(Self.ecdsa384)
        #expect(parsed.fingerprint == Self.ecdsa384MD5)
        #expect(parsed.type == "ecdsa-sha2-nistp384")
        #expect(parsed.bits == 384)
        #expect(parsed.comment == "ec vector")
    }

    @Test("ssh-dss key fingerprinted by ssh-keygen")
    func dsaVector() throws {
        let parsed = try PublicKeyParser.parse(Self.dsa)
        #expect(parsed.fingerprint == Self.dsaMD5)
        #expect(parsed.type == "ssh-dss")
        #expect(parsed.bits == 1024)
        #expect(parsed.comment == "dsa vector")
    }
}
