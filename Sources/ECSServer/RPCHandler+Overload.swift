import ECSAPI
import ECSDomain
import Hummingbird

extension RPCHandler {
    /// The answer when `InflightLimiter` is full: `ServiceUnavailable` (503), in the format the
    /// query asked for, without reading the body (the client retries; see clients.md).
    static func overloaded(_ request: Request) -> Response {
        let format = FormDecoding.pairs(Substring(request.uri.query ?? "")).last { $0.name == "Format" }?.value
        return Renderer.error(.serviceUnavailable, requestId: IDs.request(), hostId: request.head.authority ?? "ecs.aliyuncs.com",
                              format: ResponseFormat.choose(format: format, accept: request.headers[.accept]))
    }
}
