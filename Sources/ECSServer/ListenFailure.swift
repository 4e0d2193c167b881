import Foundation
import NIOCore

/// Why the server could not listen, in words that name the address and the flag to change it
/// (NIO's own text is `bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)`).
public func listenFailureMessage(_ error: any Error, host: String, port: Int) -> String? {
    guard let io = error as? IOError else { return nil }
    let address = "\(host):\(port)"
    switch io.errnoCode {
    case EADDRINUSE:
        return "cannot listen on \(address): the address is already in use (another LocalECS or program is there). Choose another port with --port (or LOCALECS_PORT); --port 0 picks a free one and the ready line names it"
    case EACCES:
        return "cannot listen on \(address): permission denied (ports below 1024 need privileges). Choose another port with --port (or LOCALECS_PORT)"
    case EADDRNOTAVAIL:
        return "cannot listen on \(address): no interface of this machine has the address \(host). Choose another address with --host (or LOCALECS_HOST); 127.0.0.1 is the default"
    default:
        return "cannot listen on \(address): \(String(cString: strerror(io.errnoCode))). Check --host and --port (or LOCALECS_HOST and LOCALECS_PORT)"
    }
}
