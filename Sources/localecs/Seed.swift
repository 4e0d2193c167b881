import ArgumentParser
import ECSDomain
import ECSKeys
import ECSServer
import ECSStore
import Foundation

/// `localecs seed`: fills a store with many key pairs and Running instances, fast, for benchmarks.
///
/// Records go straight through the store protocol, `--batch` inserts per `store.write` (one
/// transaction each), not through the API. What it writes, deterministically:
///
/// - key pair `i` (0-based) is named `kp-%08d`, with ID `ssh-seed%016d`; every key pair has the same
///   real RSA 2048 public key (generated once per run), and a fingerprint that is *fake but well
///   formed* (16 `:`-joined lower-case hex octets, unique per name): `i` as 4 big-endian octets, then
///   12 octets of the MD5 of the name and key blob. It is not the key's real fingerprint, so
///   DescribeKeyPairs by fingerprint is not meaningful on seeded data (it is not benchmarked); by
///   name, everything is as after a real ImportKeyPair. The leading `i` keeps inserts into the
///   fingerprint index in order, which makes a million-key seed several times faster.
/// - instance `i` is `i-seed%016d`, Running since an hour ago, Linux, `ecs.g7.large`, in the region's
///   first zone, bound (and in effect) to key pair `kp-%08d` of `i / 50 % key-pairs`: 50 instances
///   share a key pair, so a benchmark can detach and attach the group `c` (instances `50c…50c+49`)
///   with key pair `c`.
/// - the account (and its root access key from LOCALECS_ACCESS_KEY_ID / LOCALECS_ACCESS_KEY_SECRET
///   or the defaults) is created when missing, as `serve` would.
struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill a store with key pairs and instances, in large transactions (for benchmarks).")

    @OptionGroup var storeOption: StoreOption
    @Option(help: "The account to fill (default LOCALECS_ACCOUNT_ID or \(ServerConfig.defaultAccountId)).") var account: String?
    @Option(help: "How many key pairs to write (kp-00000000, kp-00000001, …).") var keyPairs: Int = 0
    @Option(help: "How many Running instances to write (i-seed0000000000000000, …).") var instances: Int = 0
    @Option(help: "The region to write them in.") var region: String = "cn-hangzhou"
    @Option(help: "Records per transaction.") var batch: Int = 20_000
    @Option(help: ArgumentHelp("Write the seeded key pairs' private key (PEM, mode 0600) here, to log in to seeded instances over SSH (bench/run).",
                               valueName: "file"))
    var privateKeyOut: String?

    static let groupSize = 50

    static func keyPairName(_ i: Int) -> String { "kp-" + pad(i, 8) }
    static func keyPairId(_ i: Int) -> String { "ssh-seed" + pad(i, 16) }
    static func instanceId(_ i: Int) -> String { "i-seed" + pad(i, 16) }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `i` as 4 octets, then 12 octets of MD5(name + blob), as `aa:bb:…` (47 characters).
    static func fingerprint(_ i: Int, name: String, blob: [UInt8]) -> String {
        let md5 = Fingerprint.md5(blob: Array(name.utf8) + blob)
        let hex: [Character] = Array("0123456789abcdef")
        let head = (0..<4).map { k -> String in
            let b = (i >> (24 - 8 * k)) & 0xFF
            return String([hex[b >> 4], hex[b & 0xF]])
        }.joined(separator: ":")
        return head + md5.dropFirst(11)
    }

    func run() async throws {
        guard keyPairs >= 0, instances >= 0, batch >= 1 else { throw ValidationError("counts must be 0 or more, --batch 1 or more") }
        guard let region = Catalog.region(self.region) else { throw ValidationError("unknown region \(self.region)") }
        if instances > 0 && keyPairs == 0 { throw ValidationError("instances are bound to key pairs: give --key-pairs too") }
        let accountId = account ?? Env.string("LOCALECS_ACCOUNT_ID") ?? ServerConfig.defaultAccountId
        guard AccountService.isValidAccountId(accountId) else { throw ValidationError("--account must be 16 digits") }

        let started = ContinuousClock.now
        var config = ServerConfig()
        config.store = try storeOption.location()
        if let s = Env.string("LOCALECS_SQLITE_SYNCHRONOUS")?.uppercased(), s == "NORMAL" { config.sqliteSynchronous = s }
        let store = try await openStore(config.store, config: config)
        let services = Services(store: store, config: config.domain)
        try await services.accounts.ensureAccount(
            id: accountId, accessKeyId: Env.string("LOCALECS_ACCESS_KEY_ID") ?? ServerConfig.defaultAccessKeyId,
            secret: Env.string("LOCALECS_ACCESS_KEY_SECRET") ?? ServerConfig.defaultAccessKeySecret)

        let key = try KeyGenerator.generateRSA2048()
        if let path = privateKeyOut {
            guard FileManager.default.createFile(atPath: path, contents: Data(key.privateKeyPEM.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("cannot write \(path)")
            }
        }
        let blob = [UInt8](Data(base64Encoded: String(key.publicKey.split(separator: " ")[1])) ?? Data())
        let publicKey = key.publicKey
        let regionId = region.id
        let zone = region.zones[0]
        let now = SystemClock().nowMillis()
        let keyPairCount = keyPairs
        let batchSize = batch

        do {
            var from = 0
            while from < keyPairCount {
                let range = from..<min(from + batchSize, keyPairCount)
                try await store.write { tx in
                    for i in range {
                        let name = Self.keyPairName(i)
                        try tx.insertKeyPair(KeyPairRecord(
                            accountId: accountId, regionId: regionId, name: name, id: Self.keyPairId(i),
                            fingerprint: Self.fingerprint(i, name: name, blob: blob), publicKey: publicKey,
                            resourceGroupId: "", tags: [], createdAt: now - 7_200_000 + Int64(i)))
                    }
                }
                from = range.upperBound
            }
            from = 0
            while from < instances {
                let range = from..<min(from + batchSize, instances)
                try await store.write { tx in
                    let firstSlot = try tx.maxSSHSlot() + 1
                    for i in range {
                        let id = Self.instanceId(i)
                        let bound = Self.keyPairName(i / Self.groupSize % keyPairCount)
                        var r = InstanceRecord(
                            accountId: accountId, regionId: regionId, zoneId: zone, id: id, name: "bench-" + Self.pad(i, 8),
                            hostName: "iZ" + id.dropFirst(2) + "Z", description: "", imageId: "aliyun_3_x64_20G_alibase_20240819.vhd",
                            instanceType: "ecs.g7.large", osType: "linux", resourceGroupId: "", phases: "", phaseStartedAt: 0,
                            stepMillis: 0, boundKeyPair: bound, effectiveKeyPair: bound, passwordSet: false,
                            passwordLoginEffective: false, tags: [], createdAt: now - 3_600_000 + Int64(i),
                            startedAt: now - 3_600_000 + 1000, privateIp: "172.16.\(i / 250 % 256).\(i % 250 + 2)",
                            sshSlot: firstSlot + Int64(i - range.lowerBound))
                        InstanceLifecycle.run(at: now - 3_600_000, step: 1000).apply(to: &r)
                        try tx.insertInstance(r)
                    }
                }
                from = range.upperBound
            }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        let d = (ContinuousClock.now - started).components
        let ms = Double(d.seconds) * 1000 + Double(d.attoseconds) / 1e15
        Console.line("seeded \(keyPairs) key pairs and \(instances) instances in account \(accountId), region \(regionId), " +
                     "\(store.description), in \(Int(ms)) ms")
    }
}
