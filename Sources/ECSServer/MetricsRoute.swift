import ECSStore
import Hummingbird
import NIOCore

/// `GET /metrics`: the Prometheus text exposition (format 0.0.4). Behind the admin gate like the
/// `/_localecs` routes: open on a loopback address, else `Authorization: Bearer` (Prometheus's
/// `authorization` scrape setting sends it).
enum MetricsRoute {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func add(to router: Router<LocalECSContext>, telemetry: Telemetry, store: any Store,
                    refusal: @escaping @Sendable (Request) -> Response?) {
        router.get("/metrics") { request, _ in
            if let refused = refusal(request) { return refused }
            return Response(status: .ok, headers: [.contentType: contentType],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: telemetry.exposition(store: store))))
        }
    }
}
