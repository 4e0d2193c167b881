import ECSAPI
import Foundation
import Hummingbird
import NIOCore

/// `/_localecs/rate-limits`: this node's flow-control limits.
///
/// - `GET`: 200 `{"Limits": ["ecs:DetachKeyPair=50/50", …]}`.
/// - `PUT`: the body is `{"Limits": [spec, …]}` (`RateLimit.parse`'s form; `[]` turns flow control
///   off); replaces every limit and refills the buckets; 200 with the new list. A bad spec gets
///   400 `InvalidRateLimit` and changes nothing.
enum AdminRateLimitRoutes {
    static func add(to router: Router<LocalECSContext>, flowControl: FlowControl,
                    refusal: @escaping @Sendable (Request) -> Response?) {
        router.get("/_localecs/rate-limits") { request, _ in
            if let refused = refusal(request) { return refused }
            return listing(flowControl.limits)
        }
        router.put("/_localecs/rate-limits") { request, _ in
            if let refused = refusal(request) { return refused }
            return await AdminStateRoutes.answer {
                let body: ByteBuffer
                do {
                    body = try await request.body.collect(upTo: 64 * 1024)
                } catch {
                    throw AdminStateRoutes.AdminError(413, "InvalidRateLimit", "the body is at most 64 KiB")
                }
                guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
                      let specs = object["Limits"] as? [String] else {
                    throw AdminStateRoutes.AdminError(400, "InvalidRateLimit", #"the body must be {"Limits": ["[PRODUCT:]ACTION=RATE[/BURST]", …]}"#)
                }
                var limits: [RateLimit] = []
                for spec in specs {
                    do throws(RateLimitError) { limits.append(try RateLimit.parse(spec)) } catch {
                        throw AdminStateRoutes.AdminError(400, "InvalidRateLimit", error.description)
                    }
                }
                flowControl.set(limits)
                return listing(limits)
            }
        }
    }

    static func listing(_ limits: [RateLimit]) -> Response {
        AdminRoutes.json(200, ["Limits": .array(limits.map { .string($0.spec) })])
    }
}
