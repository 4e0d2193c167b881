import ECSStore
import ECSStorePostgres
import ECSStoreSQLite
import Foundation

/// What a command may do about a store that is not there yet.
public enum StoreAccess: Sendable {
    /// `serve` and `seed`: a missing store file is created; of missing folders, only the default
    /// data folder is (anything else is more likely a typo than a wish).
    case createIfMissing
    /// Every other command reads or changes a store a server made: it must exist already, so a
    /// command run from the wrong folder says so instead of making an empty store and finding nothing.
    case existing
}

/// A store that cannot be opened as asked, in words that name `--store` and the absolute path.
public struct StoreOpenError: Error, CustomStringConvertible {
    public let description: String
}

/// Opens the configured store. SQLite paths are made absolute first, so every message and the
/// ready line say exactly which file is meant.
public func openStore(_ location: ServerConfig.StoreLocation, config: ServerConfig,
                      access: StoreAccess = .createIfMissing) async throws -> any Store {
    switch location {
    case .memory:
        guard access == .createIfMissing else {
            throw StoreOpenError(description: "--store memory lives only inside a running server; point --store (or LOCALECS_STORE) at the store the server uses (sqlite:PATH or postgres://…)")
        }
        return try SQLiteStore(path: nil)
    case .sqlite(let given):
        let path = try prepareSQLitePath(given, access: access)
        return try SQLiteStore(path: path, synchronous: config.sqliteSynchronous)
    case .postgres(let url):
        return try await PostgresStore.open(url: url, poolSize: config.postgresPoolSize)
    }
}

/// The absolute path of `given`, after checking that the store can be opened there as `access` allows.
func prepareSQLitePath(_ given: String, access: StoreAccess) throws -> String {
    let fm = FileManager.default
    let path = URL(fileURLWithPath: given).standardizedFileURL.path
    let dir = (path as NSString).deletingLastPathComponent
    let flag = "--store sqlite:\(given)"
    if fm.fileExists(atPath: path) {
        guard fm.isReadableFile(atPath: path), fm.isWritableFile(atPath: path) else {
            throw StoreOpenError(description: "\(flag): \(path) is not readable and writable by this user; fix its permissions or choose another file with --store")
        }
        return path
    }
    if access == .existing {
        throw StoreOpenError(description: "\(flag): there is no LocalECS store at \(path). Point --store (or LOCALECS_STORE) at the store your server uses; `localecs serve --store sqlite:\(given)` would create a new, empty one there")
    }
    var info = stat()
    if stat(dir, &info) != 0 && errno == EACCES {
        throw StoreOpenError(description: "\(flag): this user may not reach the folder \(dir) (a folder above it is not searchable); choose another file with --store sqlite:PATH (or LOCALECS_STORE)")
    }
    var isDir: ObjCBool = false
    if !fm.fileExists(atPath: dir, isDirectory: &isDir) {
        guard path == URL(fileURLWithPath: ServerConfig.defaultSQLitePath).standardizedFileURL.path else {
            throw StoreOpenError(description: "\(flag): the folder \(dir) does not exist. Create it first (mkdir -p \(dir)) or choose another file with --store sqlite:PATH (or LOCALECS_STORE)")
        }
        do {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreOpenError(description: "\(flag): cannot create the data folder \(dir) (\(error.localizedDescription)); choose another file with --store sqlite:PATH (or LOCALECS_STORE)")
        }
        return path
    }
    guard isDir.boolValue else {
        throw StoreOpenError(description: "\(flag): \(dir) is not a folder; choose another file with --store sqlite:PATH (or LOCALECS_STORE)")
    }
    guard fm.isWritableFile(atPath: dir) else {
        throw StoreOpenError(description: "\(flag): the folder \(dir) is not writable by this user, so the store cannot be created there; choose another file with --store sqlite:PATH (or LOCALECS_STORE)")
    }
    return path
}
