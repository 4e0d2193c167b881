import Hummingbird
import NIOCore

/// `/console/`: static files only. They hold no state and no credentials (the page keeps the
/// signed-in key in the browser tab), so they are served without the admin gate, like health.
enum ConsoleRoutes {
    static func add(to router: Router<LocalECSContext>) {
        // The router matches `/console/` here too (a trailing slash is ignored).
        router.get("/console") { _, _ in file("index.html") }
        router.get("/console/:file") { _, context in file(context.parameters.get("file") ?? "") }
    }

    static func file(_ name: String) -> Response {
        guard let f = ConsoleAssets.files[name] else {
            return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "No such console file: \(name)\n")))
        }
        return Response(status: .ok, headers: [.contentType: f.type, .cacheControl: "no-cache",
                                               // The page talks only to this server; nothing else may run in it.
                                               .contentSecurityPolicy: "default-src 'self'; img-src 'self' blob: data:"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: f.body)))
    }
}
