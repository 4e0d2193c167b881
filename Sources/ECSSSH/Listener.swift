#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain listening sockets: one per endpoint, polled together by one accept thread.
enum Listener {
    enum Failure: Error, CustomStringConvertible {
        case system(String, Int32)
        var description: String {
            switch self { case .system(let what, let e): return "\(what): \(String(cString: strerror(e)))" }
        }
    }

    /// A non-blocking, close-on-exec TCP socket listening on `host:port` (IPv4).
    static func open(host: String, port: Int) throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure.system("socket", errno) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else {
            close(fd)
            throw Failure.system("address \(host)", EINVAL)
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let e = errno
            close(fd)
            throw Failure.system("bind \(host):\(port)", e)
        }
        guard listen(fd, 128) == 0 else {
            let e = errno
            close(fd)
            throw Failure.system("listen \(host):\(port)", e)
        }
        #if canImport(Darwin)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        #endif
        return fd
    }

    /// Stops listening at once (so a new connection is refused, even while another thread polls
    /// the socket), then closes it.
    static func close(_ fd: Int32) {
        _ = shutdown(fd, Int32(SHUT_RDWR))
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    /// An accepted connection (blocking, close-on-exec) and the client's address, or nil.
    static func accept(_ fd: Int32) -> (fd: Int32, client: String)? {
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let c = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
                #if canImport(Glibc)
                return Glibc.accept(fd, p, &len)
                #else
                return Darwin.accept(fd, p, &len)
                #endif
            }
        }
        guard c >= 0 else { return nil }
        // Blocking (libssh's handshake expects it) and close-on-exec (not inherited by any child).
        _ = fcntl(c, F_SETFL, fcntl(c, F_GETFL) & ~O_NONBLOCK)
        _ = fcntl(c, F_SETFD, FD_CLOEXEC)
        var buf = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        var a = addr.sin_addr
        inet_ntop(AF_INET, &a, &buf, socklen_t(buf.count))
        return (c, String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
