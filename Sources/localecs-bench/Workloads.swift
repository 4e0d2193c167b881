import ECSSignature
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One request, ready to write.
struct PreparedRequest {
    var method: HTTPMethod
    var uri: String
    var headers: [(String, String)]
    var body: [UInt8]
}

/// What the generator sends and how it judges an answer. `request` runs on the connection's event loop.
struct Workload: Sendable {
    var name: String
    /// Builds request number `index` (unique across the run, 0-based) on connection `conn`, its `seq`-th there.
    var build: @Sendable (_ conn: Int, _ seq: Int, _ index: Int, _ rng: inout FastRandom) -> PreparedRequest
    /// The answer counts as a success when its status is 2xx and its body contains this (when set).
    var expect: [UInt8]?
    /// How many connections the workload can use at most (nil: any).
    var maxConnections: Int?
}

/// xoshiro256** seeded from the system: fast, and good enough for nonces and key material.
struct FastRandom {
    var s: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var g = SystemRandomNumberGenerator()
        s = (g.next(), g.next(), g.next(), g.next())
    }

    mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// 32 lower-case hex digits (128 random bits).
    mutating func nonce() -> String {
        var out = [UInt8](repeating: 0, count: 32)
        for half in 0..<2 {
            var v = next()
            for i in 0..<16 { out[half * 16 + i] = Self.hex[Int(v & 0xF)]; v >>= 4 }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Settings every workload builder reads.
struct Target: Sendable {
    var host: String          // e.g. 127.0.0.1:8787 (the Host header)
    var accessKeyId: String
    var secret: String
    var region: String
    var sign: String          // "v1" or "v3"
    var keyPairs: Int         // names kp-00000000 … exist (W1, moto describe)
    var instances: Int        // i-seed… exist (W3, W4)
    var namePrefix: String    // imports: distinct names
    var groupOffset: Int      // W3: first group of 50 instances to use
}

enum Workloads {
    static let ecsVersion = "2014-05-26"
    static let ec2Version = "2016-11-15"

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
    static func keyPairName(_ i: Int) -> String { "kp-" + pad(i, 8) }
    static func instanceId(_ i: Int) -> String { "i-seed" + pad(i, 16) }

    static let names = [
        "health", "describe-key-pair", "import-key-pair", "detach-attach", "describe-instances",
        "create-key-pair", "describe-key-pairs-page",
        "ec2-config", "ec2-describe-key-pair", "ec2-describe-key-pair-filter", "ec2-import-key-pair",
        "ec2-run-instances", "ec2-describe-instances", "ec2-create-key-pair",
    ]

    static func make(_ name: String, _ t: Target) -> Workload? {
        switch name {
        // W0: a static route of LocalECS.
        case "health":
            return Workload(name: name, build: { _, _, _, _ in
                PreparedRequest(method: .GET, uri: "/_localecs/health", headers: [("Host", t.host)], body: [])
            }, expect: Array(#""status":"ok""#.utf8))
        // W1: DescribeKeyPairs by exact name, a random one of the seeded kp-%08d.
        case "describe-key-pair":
            return Workload(name: name, build: { _, _, _, rng in
                ecs(t, "DescribeKeyPairs", [("RegionId", t.region), ("KeyPairName", keyPairName(rng.below(t.keyPairs)))], &rng)
            }, expect: Array(#""TotalCount":1,"#.utf8))
        // W2: ImportKeyPair of a distinct name and a distinct (random-modulus) RSA 2048 key.
        case "import-key-pair":
            return Workload(name: name, build: { _, _, index, rng in
                ecs(t, "ImportKeyPair", [("RegionId", t.region), ("KeyPairName", t.namePrefix + String(index)),
                                         ("PublicKeyBody", randomRSAPublicKey(&rng))], &rng)
            }, expect: Array(#""KeyPairFingerPrint""#.utf8))
        // W3: connection c detaches then attaches key pair kp-(g) from/to instances 50g…50g+49, g = offset + c.
        case "detach-attach":
            let groups = t.instances / 50
            return Workload(name: name, build: { conn, seq, _, rng in
                let g = t.groupOffset + conn
                let ids = (g * 50..<g * 50 + 50).map { "\"" + instanceId($0) + "\"" }.joined(separator: ",")
                let kp = keyPairName(g % Swift.max(t.keyPairs, 1))
                return ecs(t, seq % 2 == 0 ? "DetachKeyPair" : "AttachKeyPair",
                           [("RegionId", t.region), ("KeyPairName", kp), ("InstanceIds", "[" + ids + "]")], &rng)
            }, expect: Array(#""FailCount":"0","#.utf8), maxConnections: Swift.max(groups - t.groupOffset, 0))
        // W4: DescribeInstances, a page of 100 (a random page of the seeded instances).
        case "describe-instances":
            let pages = Swift.max(t.instances / 100, 1)
            return Workload(name: name, build: { _, _, _, rng in
                ecs(t, "DescribeInstances", [("RegionId", t.region), ("PageSize", "100"), ("PageNumber", String(rng.below(pages) + 1))], &rng)
            }, expect: Array(#""PageSize":100,"#.utf8))
        // W5: CreateKeyPair of a distinct name (the server makes the RSA key).
        case "create-key-pair":
            return Workload(name: name, build: { _, _, index, rng in
                ecs(t, "CreateKeyPair", [("RegionId", t.region), ("KeyPairName", t.namePrefix + String(index))], &rng)
            }, expect: Array(#""PrivateKeyBody":"-----BEGIN RSA PRIVATE KEY-----"#.utf8))
        // W6: DescribeKeyPairs, a random page of 50 of the seeded key pairs, public keys included.
        case "describe-key-pairs-page":
            let pages = Swift.max(t.keyPairs / 50, 1)
            return Workload(name: name, build: { _, _, _, rng in
                ecs(t, "DescribeKeyPairs", [("RegionId", t.region), ("PageSize", "50"), ("PageNumber", String(rng.below(pages) + 1)),
                                            ("IncludePublicKey", "true")], &rng)
            }, expect: Array(#""PageSize":50,"#.utf8))

        // moto (EC2 query protocol, form body, SigV4-shaped Authorization).
        case "ec2-config":
            return Workload(name: name, build: { _, _, _, _ in
                PreparedRequest(method: .GET, uri: "/moto-api/config", headers: [("Host", t.host)], body: [])
            }, expect: nil)
        case "ec2-describe-key-pair":
            return Workload(name: name, build: { _, _, _, rng in
                ec2(t, "DescribeKeyPairs", [("KeyName.1", keyPairName(rng.below(t.keyPairs)))], &rng)
            }, expect: Array("<keyFingerprint>".utf8))
        case "ec2-describe-key-pair-filter":
            return Workload(name: name, build: { _, _, _, rng in
                ec2(t, "DescribeKeyPairs", [("Filter.1.Name", "key-name"), ("Filter.1.Value.1", keyPairName(rng.below(t.keyPairs)))], &rng)
            }, expect: Array("<keyFingerprint>".utf8))
        // With --name-prefix kp- this writes kp-%08d in request order (moto's seeding).
        case "ec2-import-key-pair":
            return Workload(name: name, build: { _, _, index, rng in
                let keyName = t.namePrefix == "kp-" ? keyPairName(index) : t.namePrefix + String(index)
                let line = randomRSAPublicKey(&rng)
                return ec2(t, "ImportKeyPair", [("KeyName", keyName), ("PublicKeyMaterial", base64(Array(line.utf8)))], &rng)
            }, expect: Array("<keyFingerprint>".utf8))
        // moto's seeding: 500 instances a call.
        case "ec2-run-instances":
            return Workload(name: name, build: { _, _, _, rng in
                ec2(t, "RunInstances", [("ImageId", "ami-12c6146b"), ("MinCount", "500"), ("MaxCount", "500"),
                                        ("InstanceType", "t3.micro"), ("KeyName", keyPairName(0))], &rng)
            }, expect: Array("<instanceId>".utf8))
        case "ec2-create-key-pair":
            return Workload(name: name, build: { _, _, index, rng in
                ec2(t, "CreateKeyPair", [("KeyName", t.namePrefix + String(index))], &rng)
            }, expect: Array("<keyMaterial>".utf8))
        case "ec2-describe-instances":
            return Workload(name: name, build: { _, _, _, rng in
                ec2(t, "DescribeInstances", [("MaxResults", "5")], &rng)
            }, expect: Array("<instanceId>".utf8))
        default:
            return nil
        }
    }

    // MARK: LocalECS requests, signed as the SDKs sign them.

    static func ecs(_ t: Target, _ action: String, _ params: [(name: String, value: String)], _ rng: inout FastRandom) -> PreparedRequest {
        let now = wallClock()
        if t.sign == "v1" {
            // The classic RPC SDK: GET with everything in the query, HMAC-SHA1.
            let pairs = Signer.signV1(method: "GET", action: action, version: ecsVersion, parameters: params,
                                      accessKeyId: t.accessKeyId, secret: t.secret, nonce: rng.nonce(),
                                      timestamp: Signer.timestamp(now: now))
            return PreparedRequest(method: .GET, uri: "/?" + Signer.queryString(pairs), headers: [("Host", t.host)], body: [])
        }
        // The current SDKs: ACS3-HMAC-SHA256, POST / with the parameters in the query and an empty body.
        let signed = Signer.signV3(method: "POST", host: t.host, action: action, version: ecsVersion, query: params, body: [],
                                   accessKeyId: t.accessKeyId, secret: t.secret, nonce: rng.nonce(),
                                   date: Signer.timestamp(now: now))
        var headers: [(String, String)] = signed.map { ($0.name, $0.value) }
        headers.append(("content-length", "0"))
        return PreparedRequest(method: .POST, uri: "/?" + Signer.queryString(params), headers: headers, body: [])
    }

    // MARK: moto requests: EC2 query protocol as botocore sends it.

    static func ec2(_ t: Target, _ action: String, _ params: [(name: String, value: String)], _ rng: inout FastRandom) -> PreparedRequest {
        let body = Array(Signer.queryString([("Action", action), ("Version", ec2Version)] + params).utf8)
        let (date, day) = amzDate(wallClock())
        let scope = "\(day)/us-east-1/ec2/aws4_request"
        // Shaped like SigV4 (moto does not verify it): an HMAC-SHA256 over a canonical-looking string.
        let toSign = "AWS4-HMAC-SHA256\n\(date)\n\(scope)\n" + Signature.sha256Hex(body)
        let signature = Signature.v3Signature(stringToSign: toSign, secret: "bench-secret")
        return PreparedRequest(method: .POST, uri: "/", headers: [
            ("Host", t.host),
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            ("X-Amz-Date", date),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/\(scope), SignedHeaders=content-type;host;x-amz-date, Signature=\(signature)"),
            ("Content-Length", String(body.count)),
        ], body: body)
    }

    // MARK: helpers

    /// An OpenSSH `ssh-rsa` line with e = 65537 and a random odd 2048-bit modulus: well formed and
    /// distinct each time, so every import parses a new key (nobody checks that n is a product of two primes).
    static func randomRSAPublicKey(_ rng: inout FastRandom) -> String {
        var blob: [UInt8] = []
        blob.reserveCapacity(4 + 7 + 4 + 3 + 4 + 257)
        func u32(_ v: Int) { blob += [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        u32(7); blob += Array("ssh-rsa".utf8)
        u32(3); blob += [0x01, 0x00, 0x01]
        u32(257); blob.append(0)
        var n = [UInt8](repeating: 0, count: 256)
        for i in stride(from: 0, to: 256, by: 8) {
            var v = rng.next()
            for j in 0..<8 { n[i + j] = UInt8(v & 0xFF); v >>= 8 }
        }
        n[0] |= 0x80
        n[255] |= 1
        blob += n
        return "ssh-rsa " + base64(blob) + " bench@localecs"
    }

    static let b64: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let v = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2])
            out += [b64[v >> 18 & 63], b64[v >> 12 & 63], b64[v >> 6 & 63], b64[v & 63]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let v = Int(bytes[i]) << 16
            out += [b64[v >> 18 & 63], b64[v >> 12 & 63], 0x3D, 0x3D]
        } else if rest == 2 {
            let v = Int(bytes[i]) << 16 | Int(bytes[i + 1]) << 8
            out += [b64[v >> 18 & 63], b64[v >> 12 & 63], b64[v >> 6 & 63], 0x3D]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Seconds since 1970, from the wall clock.
    static func wallClock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// SigV4's `yyyyMMddTHHmmssZ` and `yyyyMMdd`.
    static func amzDate(_ now: Double) -> (String, String) {
        let iso = Signer.timestamp(now: now)  // yyyy-MM-ddTHH:mm:ssZ
        let compact = String(iso.filter { $0 != "-" && $0 != ":" })
        return (compact, String(compact.prefix(8)))
    }
}
