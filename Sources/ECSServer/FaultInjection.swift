import ECSAPI
import ECSDomain
import HTTPTypes
import Hummingbird
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fault-injection hook of the RPC pipeline: runs once the caller is known and before the
/// action, so an injected error or drop changes nothing; a latency is served after the action.
struct FaultInjection: Sendable {
    let faults: FaultService
    let telemetry: Telemetry?

    /// The response header that names the rule behind an injected answer (never in the body,
    /// so a client sees exactly what ECS would send).
    static let header = "x-localecs-fault"

    /// What a hit rule does to the call.
    enum Outcome {
        case none
        /// Serve the call, then wait this long before answering.
        case delay(ruleId: String, millis: Int)
    }

    /// Throws the injected error, or resets the connection (`DroppedConnection`), or returns
    /// the delay to add after the action.
    func apply(_ spec: ActionSpec, _ params: RPCParameters, caller: Caller, context: LocalECSContext) async throws -> Outcome {
        let call = FaultCall(product: spec.product.ramService, version: spec.product.rawValue, action: spec.name,
                             caller: caller, region: params["RegionId"], parameter: { params[$0] })
        for candidate in try await faults.candidates(call) {
            guard try await faults.hit(candidate.record.id) else { continue }
            let id = candidate.record.id
            let effect = candidate.rule.effect
            telemetry?.faultInjected(effect: effect.name)
            switch effect {
            case .error(let code, let status, let message, let retryAfter):
                var headers = [(Self.header, id)]
                if let retryAfter { headers.append(("x-acs-retry-after", String(retryAfter))) }
                throw ECSError(code: code, status: status, message: message, headers: headers)
            case .latency(let millis):
                return .delay(ruleId: id, millis: millis)
            case .drop:
                Self.reset(context.channel)
                throw DroppedConnection(ruleId: id)
            }
        }
        return .none
    }

    /// Closes the connection with a TCP reset (SO_LINGER 0): the client sees "connection reset",
    /// as when a load balancer or a crashed node drops it.
    static func reset(_ channel: (any Channel)?) {
        guard let channel else { return }
        guard let sockets = channel as? any SocketOptionProvider else {
            channel.close(promise: nil)
            return
        }
        sockets.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// A call whose connection a rule dropped: nothing is answered.
struct DroppedConnection: Error {
    let ruleId: String
}

extension FaultInjection.Outcome {
    /// `response`, after the injected delay, marked with the rule's ID.
    func served(_ response: Response) async -> Response {
        guard case .delay(let id, let millis) = self else { return response }
        try? await Task.sleep(for: .milliseconds(millis))
        var marked = response
        if let name = HTTPField.Name(FaultInjection.header) { marked.headers[name] = id }
        return marked
    }
}

extension FaultRule.Effect {
    /// The `effect` label of `localecs_faults_injected_total`.
    var name: String {
        switch self {
        case .error: return "error"
        case .latency: return "latency"
        case .drop: return "drop"
        }
    }
}
