import Testing

import ECSStoreSQLite

/// Nonces kept in memory while the nonce file cannot be written (a full disk).
@Suite struct SpilledNoncesTests {
    @Test func nothingSpilledIsNil() {
        #expect(SpilledNonces().seen(accessKeyId: "ak", nonce: "n", now: 0) == nil)
    }

    @Test func aSpilledNonceIsARepeatUntilItExpires() {
        let s = SpilledNonces()
        let expiry: Int64 = 1_000 + 31 * 60_000
        #expect(s.insert(accessKeyId: "ak", nonce: "n", expiresAt: expiry, now: 1_000))
        #expect(!s.insert(accessKeyId: "ak", nonce: "n", expiresAt: expiry + 1_000, now: 2_000))
        #expect(s.seen(accessKeyId: "ak", nonce: "n", now: 2_000) == true)
        #expect(s.seen(accessKeyId: "ak", nonce: "other", now: 2_000) == false)
        #expect(s.seen(accessKeyId: "other", nonce: "n", now: 2_000) == false)
        #expect(s.seen(accessKeyId: "ak", nonce: "n", now: expiry) == true, "held through its expiry")
        #expect(s.seen(accessKeyId: "ak", nonce: "n", now: expiry + 1) == false)
        #expect(s.insert(accessKeyId: "ak", nonce: "n", expiresAt: expiry + 60_000, now: expiry + 1))
    }

    @Test func fullAndIOErrorsAreTemporary() {
        #expect(SQLiteConnection.storeError(13, "database or disk is full") == .unavailable("storage failure: database or disk is full"))
        if case .unavailable = SQLiteConnection.storeError(10 | (3 << 8), "disk I/O error") {} else { Issue.record("IOERR_WRITE is not unavailable") }
        #expect(SQLiteConnection.storeError(5, "busy") == .unavailable("busy"))
        #expect(SQLiteConnection.storeError(1, "syntax") == .backend("syntax"))
    }
}
