import ECSStoreSQLite
import Foundation
import Testing

/// The two nonce files used in turn (`NonceFiles`): a nonce is refused for its window whichever
/// file holds it, whichever file a store (or a second store on the same path) writes, across
/// restarts; the file handed over is checkpointed in the background and its WAL stays bounded.
@Suite("Nonce files")
struct NonceFilesTests {
    static func tempPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("localecs-nonces-\(UUID().uuidString).sqlite-nonces").path
    }

    static func remove(_ path: String) {
        for f in [path, path + "2"] {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: f + suffix) }
        }
    }

    static func walSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber)?.intValue ?? 0
    }

    let now: Int64 = 1_000_000
    var expiry: Int64 { now + 900_000 }

    @Test func replaysAreRefusedAcrossSwapsAndTheHandedOverFileIsCheckpointed() async throws {
        let path = Self.tempPath()
        defer { Self.remove(path) }
        // Small hand-overs so that a few thousand nonces cross many of them.
        let files = try NonceFiles(path: path, swapAfterInserts: 100, swapAfterMillis: 50)
        var accepted = 0
        for i in 0..<3_000 {
            if try await files.use(accessKeyId: "AK", nonce: "n\(i)", expiresAt: expiry, now: now) { accepted += 1 }
            if i % 200 == 0 { try await Task.sleep(for: .milliseconds(60)) }  // let the background thread hand over
        }
        #expect(accepted == 3_000)
        // Wait for at least two complete background checkpoints (each file handed over once).
        for _ in 0..<100 where files.completedCheckpoints.load(ordering: .relaxed) < 2 {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(files.completedCheckpoints.load(ordering: .relaxed) >= 2)
        for i in 0..<3_000 {
            #expect(try await !files.use(accessKeyId: "AK", nonce: "n\(i)", expiresAt: expiry, now: now + 1), "n\(i) replayed")
        }
        // Another access key's identical nonce is its own.
        #expect(try await files.use(accessKeyId: "AK2", nonce: "n1", expiresAt: expiry, now: now))
        // Neither WAL grew with the inserts: each restarts once its file was checkpointed.
        #expect(Self.walSize(path) < 4 << 20)  // 3,000 commits without a restart: > 12 MB
        #expect(Self.walSize(path + "2") < 4 << 20)
        files.stop()
    }

    @Test func twoStoresWritingDifferentFilesStillRefuseEachOthersNonces() async throws {
        let path = Self.tempPath()
        defer { Self.remove(path) }
        // No background hand-overs: the test decides which file each one writes.
        let a = try NonceFiles(path: path, swapAfterInserts: Int.max, swapAfterMillis: Int.max)
        let b = try NonceFiles(path: path, swapAfterInserts: Int.max, swapAfterMillis: Int.max)
        #expect(try await a.use(accessKeyId: "AK", nonce: "x", expiresAt: expiry, now: now))  // file 1
        try await a.swap()                                                                     // a writes file 2
        #expect(try await !b.use(accessKeyId: "AK", nonce: "x", expiresAt: expiry, now: now))  // b finds it in its active file
        #expect(try await a.use(accessKeyId: "AK", nonce: "y", expiresAt: expiry, now: now))   // file 2
        #expect(try await !b.use(accessKeyId: "AK", nonce: "y", expiresAt: expiry, now: now))  // b finds it in its other file
        #expect(try await b.use(accessKeyId: "AK", nonce: "z", expiresAt: expiry, now: now))   // file 1
        #expect(try await !a.use(accessKeyId: "AK", nonce: "z", expiresAt: expiry, now: now))  // a finds it in its other file
        // Racing on one nonce from both, each on its own file: exactly one wins.
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<32 {
                group.addTask { (try? await [a, b][i % 2].use(accessKeyId: "AK", nonce: "race", expiresAt: expiry, now: now)) ?? false }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1)
        a.stop()
        b.stop()
    }

    @Test func expiredNoncesArePurgedFromBothFilesAndMayBeUsedAgain() async throws {
        let path = Self.tempPath()
        defer { Self.remove(path) }
        let files = try NonceFiles(path: path, swapAfterInserts: Int.max, swapAfterMillis: Int.max)
        #expect(try await files.use(accessKeyId: "AK", nonce: "p", expiresAt: now + 10, now: now))
        try await files.swap()
        #expect(try await files.use(accessKeyId: "AK", nonce: "q", expiresAt: now + 10, now: now))
        // Still live in either file: refused; found on disk by the read-only (full-disk) check.
        #expect(try await !files.use(accessKeyId: "AK", nonce: "p", expiresAt: now + 10, now: now + 5))
        #expect(try files.liveOnDisk(accessKeyId: "AK", nonce: "p", now: now + 5))
        #expect(try files.liveOnDisk(accessKeyId: "AK", nonce: "q", now: now + 5))
        try await files.purge(expiredBefore: now + 11)
        #expect(try !files.liveOnDisk(accessKeyId: "AK", nonce: "p", now: now + 11))
        #expect(try await files.use(accessKeyId: "AK", nonce: "p", expiresAt: now + 100, now: now + 11))
        #expect(try await files.use(accessKeyId: "AK", nonce: "q", expiresAt: now + 100, now: now + 11))
        files.stop()
    }

    @Test func noncesSurviveAReopenWhicheverFileHoldsThem() async throws {
        let path = Self.tempPath()
        defer { Self.remove(path) }
        do {
            let files = try NonceFiles(path: path, swapAfterInserts: 10, swapAfterMillis: 50)
            for i in 0..<200 {
                #expect(try await files.use(accessKeyId: "AK", nonce: "r\(i)", expiresAt: expiry, now: now))
                if i % 20 == 0 { try await Task.sleep(for: .milliseconds(60)) }
            }
            files.stop()
        }
        let again = try NonceFiles(path: path)
        for i in 0..<200 {
            #expect(try await !again.use(accessKeyId: "AK", nonce: "r\(i)", expiresAt: expiry, now: now + 1), "r\(i) replayed")
        }
        again.stop()
    }

    @Test func anInMemoryStoreHasOneFile() async throws {
        let files = try NonceFiles(path: nil)
        #expect(try await files.use(accessKeyId: "AK", nonce: "m", expiresAt: expiry, now: now))
        try await files.swap()
        #expect(try await !files.use(accessKeyId: "AK", nonce: "m", expiresAt: expiry, now: now))
        files.stop()
    }
}
