import CSQLite
import ECSStore

/// One SQLite connection with a cache of prepared statements.
///
/// Not thread-safe: the store hands each connection to one thread at a time.
package final class SQLiteConnection: @unchecked Sendable {
    let handle: OpaquePointer
    private var cache: [String: OpaquePointer] = [:]
    /// Whether this connection can never write: only then does `PRAGMA data_version` change with
    /// every commit that could change its answers (SQLite does not count a connection's own writes).
    let readOnly: Bool
    private var pageIndexes = PageIndexCache()

    package init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw StoreError.backend(("cannot open SQLite database at \(path): \(message)"))
        }
        handle = db
        self.readOnly = readOnly
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit {
        for (_, stmt) in cache { sqlite3_finalize(stmt) }
        sqlite3_close_v2(handle)
    }

    func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(err)
            throw Self.storeError(rc, message)
        }
    }

    /// Runs `sql` with `bindings`, calling `row` for each result row.
    package func query(_ sql: String, _ bindings: [SQLValue] = [], row: (Row) throws -> Void = { _ in }) throws {
        let stmt = try prepare(sql)
        defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
        for (i, b) in bindings.enumerated() {
            let idx = Int32(i + 1)
            switch b {
            case .text(let s): sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT)
            case .int(let v): sqlite3_bind_int64(stmt, idx, v)
            case .null: sqlite3_bind_null(stmt, idx)
            }
        }
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return }
            if rc == SQLITE_ROW { try row(Row(stmt: stmt)); continue }
            let message = String(cString: sqlite3_errmsg(handle))
            if rc == SQLITE_CONSTRAINT || (rc & 0xFF) == SQLITE_CONSTRAINT {
                throw StoreError.conflict(message)
            }
            throw Self.storeError(rc, message)
        }
    }

    /// Prefix of the `StoreError.unavailable` message for a full disk, a file-size limit or an
    /// I/O error: the database could not be written, but what it holds is intact.
    static let storageFailurePrefix = "storage failure: "

    /// A failed step's error: lock waits and storage failures are temporary (`unavailable`, so
    /// the caller gets 503 and may retry; the write was rolled back, not half-applied).
    package static func storeError(_ rc: Int32, _ message: String) -> StoreError {
        switch rc & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: return .unavailable(message)
        // SQLITE_FULL: no space left; a write past RLIMIT_FSIZE (EFBIG) is reported the same way
        // or as an I/O error, as is ENOSPC while extending the WAL.
        case SQLITE_FULL: return .unavailable(storageFailurePrefix + message)
        case SQLITE_IOERR: return .unavailable(storageFailurePrefix + "I/O error (\(rc)): " + message)
        default: return .backend(message)
        }
    }

    var changes: Int { Int(sqlite3_changes(handle)) }

    /// How many rows a list query has, and the ordering key of every `PageIndex.stride`-th of
    /// them, from this connection's cache when no commit (by this process or any other on the same
    /// file) can have happened since they were read; nil on a connection that can write.
    ///
    /// A list page walked its query's whole ordering index for TotalCount (~0.7 ms for 10,000
    /// instances) and then again up to its OFFSET; with the marks a page seeks to the nearest mark
    /// and skips fewer than `stride` rows. The cache is keyed by `PRAGMA data_version`, read inside
    /// the caller's transaction: that pragma opens the read transaction, so the version and every
    /// later query of it see one snapshot, and any commit by another connection since the index
    /// was taken changes the version. Only read-only connections cache (a connection's own commits
    /// leave its version as it was), so a cached index can never be stale.
    /// - Parameter keysSQL: selects the ordering key (an integer, then a text) of every row, in order.
    func pageIndex(_ keysSQL: String, _ bindings: [SQLValue]) throws -> PageIndex? {
        guard readOnly else { return nil }
        var version: Int64 = 0
        try query("PRAGMA data_version") { version = $0.int(0) }
        if version != pageIndexes.version {
            pageIndexes = PageIndexCache(version: version)
        }
        let key = PageIndexCache.Key(sql: keysSQL, bindings: bindings)
        if let index = pageIndexes.indexes[key] { return index }
        var total = 0
        var marks: [PageIndex.Mark] = []
        try query(keysSQL, bindings) { row in
            if total % PageIndex.stride == 0 { marks.append(PageIndex.Mark(first: row.int(0), second: row.text(1))) }
            total += 1
        }
        let index = PageIndex(total: total, marks: marks)
        // Filters are many in principle: keep the cache small, whatever callers send.
        if pageIndexes.indexes.count >= PageIndexCache.capacity { pageIndexes.indexes.removeAll(keepingCapacity: true) }
        pageIndexes.indexes[key] = index
        return index
    }

    private func prepare(_ sql: String) throws -> OpaquePointer {
        if let s = cache[sql] { return s }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw StoreError.backend("prepare failed: \(String(cString: sqlite3_errmsg(handle))) in \(sql)")
        }
        cache[sql] = stmt
        return stmt
    }
}

/// A list query's row count and every `stride`-th row's ordering key (rows 0, stride, 2·stride…).
struct PageIndex {
    struct Mark {
        let first: Int64
        let second: String
    }
    static let stride = 100
    let total: Int
    let marks: [Mark]

    /// The mark at or before row `offset` and how many rows lie between them; nil past the end.
    func seek(_ offset: Int) -> (mark: Mark, skip: Int)? {
        guard offset >= 0, offset < total else { return nil }
        return (marks[offset / Self.stride], offset % Self.stride)
    }
}

/// The page indexes a read-only connection took at one `data_version`.
struct PageIndexCache {
    struct Key: Hashable {
        let sql: String
        let bindings: [SQLValue]
    }
    static let capacity = 64
    var version: Int64 = -1
    var indexes: [Key: PageIndex] = [:]
}

/// A value bound to a statement parameter.
package enum SQLValue: Hashable {
    case text(String)
    case int(Int64)
    case null

    static func optional(_ s: String?) -> SQLValue { s.map(SQLValue.text) ?? .null }
}

/// The current row of a statement, read by column index.
package struct Row: SQLRow {
    let stmt: OpaquePointer
    package func text(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, i) else { return "" }
        return String(cString: p)
    }
    package func optionalText(_ i: Int32) -> String? {
        sqlite3_column_type(stmt, i) == SQLITE_NULL ? nil : text(i)
    }
    package func int(_ i: Int32) -> Int64 { sqlite3_column_int64(stmt, i) }
}

// SQLite's C macro SQLITE_TRANSIENT is not imported into Swift.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
