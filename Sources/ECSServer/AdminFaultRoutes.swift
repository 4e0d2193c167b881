import ECSAPI
import ECSDomain
import ECSStore
import Foundation
import Hummingbird
import NIOCore

/// `/_localecs/faults`: fault-injection rules (see `FaultRule` for the JSON fields).
///
/// - `POST /_localecs/faults`: the body is one rule; 201 with the stored rule and its `Id`.
/// - `GET /_localecs/faults`: 200 `{"Rules": [...]}`, each with `Id`, `Matched`, `Hits`, `CreatedAt`.
/// - `DELETE /_localecs/faults/{id}`: 200, or 404 `InvalidFaultRule.NotFound`.
/// - `DELETE /_localecs/faults`: 200 `{"Deleted": n}`.
///
/// A bad rule gets 400 `InvalidFaultRule` with what to fix.
enum AdminFaultRoutes {
    static let maxBody = 64 * 1024

    static func add(to router: Router<LocalECSContext>, faults: FaultService,
                    refusal: @escaping @Sendable (Request) -> Response?) {
        router.post("/_localecs/faults") { request, _ in
            if let refused = refusal(request) { return refused }
            return await AdminStateRoutes.answer {
                let body: ByteBuffer
                do {
                    body = try await request.body.collect(upTo: maxBody)
                } catch {
                    throw AdminStateRoutes.AdminError(413, "InvalidFaultRule", "a rule is at most \(maxBody) bytes")
                }
                do {
                    let added = try await faults.add(try FaultRule.decode(Data(body.readableBytesView)))
                    return AdminRoutes.json(201, wire(added))
                } catch let e as FaultRuleError {
                    throw AdminStateRoutes.AdminError(400, "InvalidFaultRule", e.description)
                }
            }
        }
        router.get("/_localecs/faults") { request, _ in
            if let refused = refusal(request) { return refused }
            return await AdminStateRoutes.answer {
                let rules = try await faults.list()
                return AdminRoutes.json(200, ["Rules": .array(rules.map { .object(wire($0)) })])
            }
        }
        router.delete("/_localecs/faults/:id") { request, context in
            if let refused = refusal(request) { return refused }
            let id = context.parameters.get("id") ?? ""
            return await AdminStateRoutes.answer {
                guard try await faults.delete(id: id) else {
                    throw AdminStateRoutes.AdminError(404, "InvalidFaultRule.NotFound", "no fault rule has the ID \(id)")
                }
                return AdminRoutes.json(200, ["Deleted": .integer(1)])
            }
        }
        router.delete("/_localecs/faults") { request, _ in
            if let refused = refusal(request) { return refused }
            return await AdminStateRoutes.answer {
                AdminRoutes.json(200, ["Deleted": .integer(try await faults.clear())])
            }
        }
    }

    /// The rule's own fields, then its ID and counters.
    static func wire(_ a: ActiveFaultRule) -> WireObject {
        let r = a.rule
        var o = WireObject([("Id", .string(a.record.id))])
        let texts: [(String, String?)] = [("Product", r.product), ("Action", r.action), ("Account", r.account),
                                          ("Principal", r.principal), ("Region", r.region), ("Parameter", r.parameter),
                                          ("ParameterContains", r.parameterContains), ("Code", r.code), ("Message", r.message)]
        for (k, v) in texts { if let v { o.append(k, .string(v)) } }
        let numbers: [(String, Int?)] = [("Status", r.status), ("RetryAfterMs", r.retryAfterMs), ("LatencyMs", r.latencyMs),
                                         ("Count", r.count.map(Int.init)), ("Seed", r.seed.map { Int(truncatingIfNeeded: $0) }),
                                         ("StartsAt", r.startsAt.map(Int.init)), ("EndsAt", r.endsAt.map(Int.init))]
        for (k, v) in numbers { if let v { o.append(k, .integer(v)) } }
        if let p = r.probability { o.append("Probability", .double(p)) }
        if r.drop == true { o.append("Drop", .boolean(true)) }
        o.append("CreatedAt", .integer(Int(a.record.createdAt)))
        o.append("Matched", .integer(Int(a.record.matched)))
        o.append("Hits", .integer(Int(a.record.hits)))
        return o
    }
}
