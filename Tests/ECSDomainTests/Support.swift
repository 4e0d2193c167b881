import ECSDomain
import ECSStore
import ECSStoreSQLite
import Foundation
import Testing

/// The two SQLite forms every store-backed test runs on.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, file
    var testDescription: String { rawValue }
}

let linuxImage = "ubuntu_22_04_x64_20G_alibase_20240101.vhd"
let windowsImage = "win2022_21H2_x64_dtc_en-us_40G_alibase_20240815.vhd"
let hz = "cn-hangzhou"
let me = Caller(accountId: "1000000000000001", accessKeyId: "LTAI5tTestKey")
let someoneElse = Caller(accountId: "2000000000000002", accessKeyId: "LTAI5tOtherKey")

/// Valid OpenSSH public keys (generated with ssh-keygen) for fast ImportKeyPair calls.
let ecdsaKey = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBK10A0GgtJwZg4XgiAA90ud5u+zTVHt2I+8ueLcCGQPn4xA8m7onGlVIv0OyC9BTQcMuF0e7sacy+QLJhRl/NJ4= t"
let ecdsaKeyMD5 = "59:2e:0f:0f:99:24:d2:03:e8:6f:60:21:76:18:80:35"
let ed25519Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHmAhlSZ/xqmct2cvB0arFZgZdluWG8JsoakvmHhKRaC e"

func temporaryDatabasePath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("localecs-test-\(UUID().uuidString).sqlite").path
}

func removeDatabase(_ path: String) {
    for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

/// A store, a manual clock and the domain services over them.
final class Fixture: Sendable {
    let store: SQLiteStore
    let path: String?
    let clock: ManualClock
    let config: DomainConfig
    let keyPairs: KeyPairService
    let instances: InstanceService
    let bindings: KeyBindingService

    init(_ kind: StoreKind, config: DomainConfig = DomainConfig(transitionMillis: 1000), path: String? = nil,
         clock: ManualClock = ManualClock()) throws {
        let path = kind == .file ? (path ?? temporaryDatabasePath()) : nil
        self.path = path
        self.store = try SQLiteStore(path: path)
        self.clock = clock
        self.config = config
        keyPairs = KeyPairService(store: store, clock: clock, config: config)
        instances = InstanceService(store: store, clock: clock, config: config)
        bindings = KeyBindingService(store: store, clock: clock)
    }

    var step: Int64 { config.transitionMillis }

    @discardableResult
    func importKey(_ name: String, region: String = hz, caller: Caller = me) async throws -> KeyPairRecord {
        try await keyPairs.importKey(caller, region: region, name: name, publicKeyBody: ecdsaKey, resourceGroupId: nil, tags: [])
    }

    /// RunInstances of one instance; it is Pending until the clock moves.
    func run(image: String = linuxImage, region: String = hz, key: String? = nil, password: String? = nil,
             caller: Caller = me) async throws -> String {
        let req = LaunchRequest(region: region, imageId: image, instanceType: "ecs.g7.large", keyPairName: key, password: password)
        return try await instances.launch(caller, req, autoStart: true)[0]
    }

    /// Lets every transition in flight finish (two steps: Pending → Starting → Running).
    func settle() { clock.advance(millis: 2 * step) }

    /// A Running instance.
    func running(image: String = linuxImage, region: String = hz, key: String? = nil, password: String? = nil,
                 caller: Caller = me) async throws -> String {
        let id = try await run(image: image, region: region, key: key, password: password, caller: caller)
        settle()
        return id
    }

    func record(_ id: String, caller: Caller = me) async throws -> InstanceRecord {
        try await instances.get(caller, id: id, region: nil).record
    }

    func status(_ id: String) async throws -> InstanceStatus {
        try await instances.get(me, id: id, region: nil).status
    }

    func bound(_ id: String) async throws -> String? { try await record(id).boundKeyPair }

    func names(region: String = hz, caller: Caller = me) async throws -> [String] {
        let page = try await keyPairs.describe(caller, region: region, name: nil, fingerprint: nil, resourceGroupId: nil,
                                               tags: [], page: pageOf(1, 50))
        return page.items.map(\.name)
    }

    func attach(_ key: String, _ ids: [String], region: String = hz, caller: Caller = me) async throws -> [BindingResult.Outcome] {
        try await bindings.apply(.attach, caller, region: region, keyPairName: key, instanceIds: ids).map(\.outcome)
    }

    func detach(_ key: String, _ ids: [String], region: String = hz, caller: Caller = me) async throws -> [BindingResult.Outcome] {
        try await bindings.apply(.detach, caller, region: region, keyPairName: key, instanceIds: ids).map(\.outcome)
    }

    func close() async {
        await store.close()
        if let path { removeDatabase(path) }
    }
}

/// Runs `body` over a fresh fixture and closes it (and removes its file) afterwards.
func withFixture<T>(_ kind: StoreKind, config: DomainConfig = DomainConfig(transitionMillis: 1000),
                    _ body: (Fixture) async throws -> T) async throws -> T {
    let f = try Fixture(kind, config: config)
    do {
        let value = try await body(f)
        await f.close()
        return value
    } catch {
        await f.close()
        throw error
    }
}

/// The `DomainError` an operation throws, or nil when it succeeds.
func domainError(_ body: () async throws -> Void) async -> DomainError? {
    do {
        try await body()
        return nil
    } catch let e as DomainError {
        return e
    } catch {
        Issue.record("expected a DomainError, got \(error)")
        return nil
    }
}

func pageOf(_ number: Int, _ size: Int) -> PageRequest {
    do { return try KeyPairService.page(number: number, size: size) } catch { fatalError("invalid page \(number)") }
}

/// `LoginState`'s fields, comparable with `==` (its memberwise initializer is not public).
struct Login: Equatable, CustomStringConvertible {
    var bound: String?
    var effective: String?
    var password: Bool
    var pending: Bool
    var description: String { "bound \(bound ?? "-") effective \(effective ?? "-") password \(password) pending \(pending)" }
}

extension LoginState {
    var fields: Login {
        Login(bound: boundKeyPair, effective: effectiveKeyPair, password: passwordLoginEffective, pending: restartPending)
    }
}
