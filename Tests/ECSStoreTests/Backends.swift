import ECSDomain
import ECSStore
import ECSStorePostgres
import ECSStoreSQLite
import Foundation
import Testing

/// Every store the conformance suite runs on.
///
/// PostgreSQL runs when `LOCALECS_TEST_POSTGRES_URL` is set (`scripts/with-postgres swift test`).
/// With `LOCALECS_REQUIRE_POSTGRES=1` and no URL, its cases are still generated and fail.
enum Backend: String, Sendable, CustomTestStringConvertible {
    case sqliteMemory, sqliteFile, postgres

    var testDescription: String { rawValue }

    static let postgresURL: String? = {
        let v = ProcessInfo.processInfo.environment["LOCALECS_TEST_POSTGRES_URL"] ?? ""
        return v.isEmpty ? nil : v
    }()
    static let postgresRequired = ProcessInfo.processInfo.environment["LOCALECS_REQUIRE_POSTGRES"] == "1"

    static let all: [Backend] = [.sqliteMemory, .sqliteFile] + (postgresURL != nil || postgresRequired ? [.postgres] : [])
    /// The backends two nodes can share. A private in-memory database belongs to one store, so
    /// "two nodes" on it would be one store twice and prove nothing about two nodes.
    static let multiNode: [Backend] = all.filter { $0 != .sqliteMemory }

    struct MissingPostgres: Error, CustomStringConvertible {
        var description: String { "LOCALECS_REQUIRE_POSTGRES=1 but LOCALECS_TEST_POSTGRES_URL is not set (run under scripts/with-postgres)" }
    }

    /// A fresh store. On PostgreSQL the database is shared by all tests, so each test works in
    /// accounts of its own (`newAccount()`).
    func open(poolSize: Int = 4) async throws -> OpenStore {
        switch self {
        case .sqliteMemory:
            return OpenStore(store: try SQLiteStore(path: nil), cleanup: {})
        case .sqliteFile:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("localecs-conf-\(UUID().uuidString).sqlite").path
            return OpenStore(store: try SQLiteStore(path: path), cleanup: {
                for file in [path, path + "-nonces", path + "-audit"] {
                    for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: file + suffix) }
                }
            })
        case .postgres:
            guard let url = Self.postgresURL else { throw MissingPostgres() }
            return OpenStore(store: try await PostgresStore.open(url: url, poolSize: poolSize), cleanup: {})
        }
    }
}

struct OpenStore {
    let store: any Store
    let cleanup: @Sendable () -> Void
}

/// Runs `body` with two stores on one fresh database, as two nodes would have, closing and
/// removing them afterwards. Only for `Backend.multiNode`.
func withTwoStores(_ backend: Backend, poolSize: Int = 16, _ body: (any Store, any Store) async throws -> Void) async throws {
    struct NotMultiNode: Error, CustomStringConvertible { var description: String { "a private in-memory store has no second node" } }
    guard backend != .sqliteMemory else { throw NotMultiNode() }
    let first = try await backend.open(poolSize: poolSize)
    let second: any Store
    do {
        switch backend {
        case .sqliteMemory: throw NotMultiNode()
        case .sqliteFile: second = try SQLiteStore(path: (first.store.description as NSString).substring(from: "sqlite:".count))
        case .postgres: second = try await PostgresStore.open(url: Backend.postgresURL ?? "", poolSize: poolSize)
        }
    } catch {
        await first.store.close()
        first.cleanup()
        throw error
    }
    var failure: (any Error)?
    do { try await body(first.store, second) } catch { failure = error }
    await second.close()
    await first.store.close()
    first.cleanup()
    if let failure { throw failure }
}

/// Runs `body` with a fresh store of `backend`, closing and removing it afterwards.
func withStore(_ backend: Backend, poolSize: Int = 4, _ body: (any Store) async throws -> Void) async throws {
    let opened = try await backend.open(poolSize: poolSize)
    do {
        try await body(opened.store)
    } catch {
        await opened.store.close()
        opened.cleanup()
        throw error
    }
    await opened.store.close()
    opened.cleanup()
}

/// A 16-digit account ID nobody else uses.
func newAccount() -> String {
    "9" + String((0..<15).map { _ in Character(String(Int.random(in: 0...9))) })
}

func newCaller() -> Caller { Caller(accountId: newAccount(), accessKeyId: "LTAI5t" + IDs.random(18)) }

let hz = "cn-hangzhou"
let sh = "cn-shanghai"
let linuxImage = "ubuntu_22_04_x64_20G_alibase_20240101.vhd"
let instanceType = "ecs.g7.large"
/// A valid OpenSSH public key (ssh-keygen) for fast ImportKeyPair calls.
let ecdsaKey = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBK10A0GgtJwZg4XgiAA90ud5u+zTVHt2I+8ueLcCGQPn4xA8m7onGlVIv0OyC9BTQcMuF0e7sacy+QLJhRl/NJ4= t"

func keyPair(_ account: String, _ name: String, region: String = hz, at: Int64 = 1, fingerprint: String = "fp",
             group: String = "", tags: [ResourceTag] = []) -> KeyPairRecord {
    KeyPairRecord(accountId: account, regionId: region, name: name, id: "ssh-" + IDs.random(20), fingerprint: fingerprint,
                  publicKey: "ssh-ed25519 AAAA \(name)", resourceGroupId: group, tags: tags, createdAt: at)
}

func instance(_ account: String, _ id: String, region: String = hz, name: String? = nil, at: Int64 = 1,
              keyPair: String? = nil, tags: [ResourceTag] = []) -> InstanceRecord {
    InstanceRecord(accountId: account, regionId: region, zoneId: region + "-k", id: id, name: name ?? id, hostName: "h-" + id,
                   description: "d", imageId: linuxImage, instanceType: instanceType, osType: "linux", resourceGroupId: "",
                   phases: "Pending,Starting,Running", phaseStartedAt: at, stepMillis: 1000, boundKeyPair: keyPair,
                   effectiveKeyPair: nil, passwordSet: false, passwordLoginEffective: false, tags: tags, createdAt: at,
                   startedAt: 0, privateIp: "172.16.0.2")
}

/// The error `body` throws, or nil.
func thrown(_ body: () async throws -> Void) async -> (any Error)? {
    do { try await body(); return nil } catch { return error }
}

func isConflict(_ e: (any Error)?) -> Bool {
    if case StoreError.conflict? = e as? StoreError { return true }
    return false
}

func isUnavailable(_ e: (any Error)?) -> Bool {
    if case StoreError.unavailable? = e as? StoreError { return true }
    return false
}

/// Runs `count` copies of `body` at once; returns their results in index order.
func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async -> T) async -> [T] {
    await withTaskGroup(of: (Int, T).self) { group in
        for i in 0..<count { group.addTask { (i, await body(i)) } }
        var out: [(Int, T)] = []
        for await r in group { out.append(r) }
        return out.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
