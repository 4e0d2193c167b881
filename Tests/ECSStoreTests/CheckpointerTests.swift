import ECSStore
import ECSStoreSQLite
import Foundation
import Testing

/// The data file's checkpoints run off the writer thread (`Checkpointer`): under constant
/// concurrent writes the WAL still rewinds, so it stays bounded, and every acknowledged write is
/// in the file after a reopen.
@Suite("SQLite checkpointer")
struct CheckpointerTests {
    @Test func theWALStaysBoundedUnderConstantWritesAndNothingIsLost() async throws {
        let path = SQLiteAuditFileTests.tempPath("ckpt")
        defer { SQLiteAuditFileTests.remove(path) }
        let account = "1000000000000077", writers = 32, perWriter = 250
        let body = String(repeating: "A", count: 4_000)  // one page a row: ~32 MB through the WAL
        let store = try SQLiteStore(path: path)
        try await store.write { try $0.insertAccount(account, createdAt: 1) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    for i in 0..<perWriter {
                        let kp = KeyPairRecord(accountId: account, regionId: "cn-hangzhou", name: "kp-\(w)-\(i)", id: "ssh-\(w)-\(i)",
                                               fingerprint: "f", publicKey: body, resourceGroupId: "", tags: [], createdAt: Int64(i))
                        try await store.write { try $0.insertKeyPair(kp) }
                    }
                }
            }
            try await group.waitForAll()
        }
        // A WAL file never shrinks while open: its size is the largest the log grew to.
        let largestWAL = (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.uint64Value ?? 0
        let checkpointer = try #require(store.checkpointer)
        #expect(checkpointer.passes.load(ordering: .relaxed) > 0, "the checkpointer's thread copied frames")
        #expect(checkpointer.tails.load(ordering: .relaxed) > 0, "the writer finished checkpoints so the log rewound")
        // ~32 MB went through the log; without rewinds the WAL would hold all of it.
        #expect(largestWAL < 16 << 20, "WAL grew to \(largestWAL) bytes")
        await store.close()

        let reopened = try SQLiteStore(path: path)
        let count = try await reopened.read { try $0.keyPairCount(account: account, region: "cn-hangzhou") }
        #expect(count == writers * perWriter)
        await reopened.close()
    }
}
