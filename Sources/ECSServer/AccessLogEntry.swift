import ECSAPI
import ECSSignature
import Foundation
import Logging

/// One line per RPC call at `info`: who called what, how it ended and how long it took, so a
/// user whose call was refused can see why on the server's side too.
struct AccessLogEntry {
    let requestId: String
    let logger: Logger
    /// Below `info` (the benchmarks run at `warning`) the entry is never filled in.
    let enabled: Bool
    var action: String?
    /// The AccessKeyId the request claims (known before it is authenticated).
    var accessKeyId: String?
    /// Set once the signature is verified.
    var accountId: String?

    init(requestId: String, logger: Logger) {
        self.requestId = requestId
        self.logger = logger
        self.enabled = logger.logLevel <= .info
    }

    func log(code: String, status: Int, since started: ContinuousClock.Instant) {
        guard enabled else { return }
        logger.info("\(action ?? "-") \(status) \(code)", metadata: [
            "requestId": "\(requestId)",
            "action": "\(action ?? "-")",
            "code": "\(code)",
            "status": "\(status)",
            "accessKeyId": "\(accessKeyId ?? "-")",
            "account": "\(accountId ?? "-")",
            "ms": "\(Self.millis(ContinuousClock.now - started))",
        ])
    }

    static func millis(_ d: Duration) -> String {
        let c = d.components
        return String(format: "%.2f", Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15)
    }

    /// `AccessKeyId` of a V1 request, or the `Credential=` of a V3 `Authorization` header.
    static func claimedAccessKeyId(_ params: RPCParameters, _ view: RequestView) -> String? {
        if let id = params["AccessKeyId"] { return id }
        guard let auth = view.header("authorization"), let range = auth.range(of: "Credential=") else { return nil }
        return String(auth[range.upperBound...].prefix { $0 != "," && $0 != " " })
    }
}
