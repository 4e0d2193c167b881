import ECSStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the SQLite files readable by their owner only (0600). They hold the access key
/// secrets the server needs for HMAC verification (see README "Security model"), so another
/// local user must not read them.
enum PrivateFiles {
    /// Creates `path` empty with mode 0600 if it does not exist, and sets 0600 on it and on its
    /// `-wal`/`-shm`/`-journal` companions if they exist. SQLite gives the companions it creates
    /// the main file's mode, so they stay private too.
    static func prepare(_ path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        if fd >= 0 { close(fd) }
        for p in [path, path + "-wal", path + "-shm", path + "-journal"] {
            if chmod(p, 0o600) != 0 && errno != ENOENT && p == path {
                throw StoreError.backend("cannot make \(path) private (chmod 0600): errno \(errno)")
            }
        }
    }
}
