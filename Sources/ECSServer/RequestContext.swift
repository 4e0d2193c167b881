import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the peer address, for `acs:SourceIp`,
/// and the channel, which an injected fault may reset.
public struct LocalECSContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        channel = source.channel
    }
}
