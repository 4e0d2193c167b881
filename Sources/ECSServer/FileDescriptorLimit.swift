#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Raises the soft limit on open files to the hard limit, once at start-up.
///
/// Every connection is a descriptor; a soft limit of 1024 (a common default) would let a few
/// hundred slow clients plus SQLite's files exhaust it, and accept() would then fail for everyone.
/// - Returns: the soft limit now in force (unchanged if it could not be raised).
@discardableResult
public func raiseOpenFileLimit() -> UInt64 {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
    if limit.rlim_cur < limit.rlim_max {
        var raised = limit
        raised.rlim_cur = limit.rlim_max
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { return UInt64(raised.rlim_max) }
    }
    return UInt64(limit.rlim_cur)
}
