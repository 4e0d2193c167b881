import ECSAPI
import HTTPTypes
import Hummingbird
import NIOCore

/// The body format a request asked for.
enum ResponseFormat {
    case json, xml

    /// `Format` wins (case-insensitively); without it a client that accepts JSON gets JSON
    /// (the new SDK in V3 mode sends only `accept: application/json`); otherwise XML, ECS's default.
    static func choose(format: String?, accept: String?) -> ResponseFormat {
        if let f = format?.lowercased() {
            if f == "json" { return .json }
            if f == "xml" { return .xml }
        }
        if let a = accept, containsJSON(a) { return .json }
        return .xml
    }

    /// Whether `s` contains `json`, on its bytes: `String.contains` is Foundation's CFStringFind and
    /// `utf8.firstRange(of:)` is unspecialized generic code (3.5 % of W1's CPU), on every call.
    static func containsJSON(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { b in
            guard b.count >= 4 else { return false }
            for i in 0...(b.count - 4) where b[i] == 0x6A && b[i + 1] == 0x73 && b[i + 2] == 0x6F && b[i + 3] == 0x6E {
                return true
            }
            return false
        }
    }
}

/// Writes success bodies and the error envelope, once, for every path.
enum Renderer {
    static let jsonType = "application/json;charset=utf-8"
    static let xmlType = "text/xml;charset=utf-8"

    static func success(_ body: WireObject, action: String, requestId: String, format: ResponseFormat) -> Response {
        // A body that names `RequestId` keeps it where the reference's sample has it; else it goes first.
        var object: WireObject
        if let at = body.fields.firstIndex(where: { $0.0 == "RequestId" }) {
            object = body
            object.fields[at].1 = .string(requestId)
        } else {
            object = WireObject([("RequestId", .string(requestId))])
            object.fields.append(contentsOf: body.fields)
        }
        return respond(status: 200, object, root: action + "Response", format: format, extraHeaders: [])
    }

    static func error(_ e: ECSError, requestId: String, hostId: String, format: ResponseFormat) -> Response {
        var object: WireObject = [
            "RequestId": .string(requestId),
            "HostId": .string(hostId),
            "Code": .string(e.code),
            "Message": .string(e.message),
            "Recommend": .string(recommend(e, requestId: requestId)),
        ]
        if let detail = e.accessDeniedDetail {
            object.append("AccessDeniedDetail", .object(WireObject(detail.map { ($0.0, .string($0.1)) })))
        }
        return respond(status: e.status, object, root: "Error", format: format, extraHeaders: e.headers)
    }

    /// ECS sends its troubleshooting link; LocalECS adds its own hint after it where it has one
    /// (the field still starts with the link, for tools that open it).
    static func recommend(_ e: ECSError, requestId: String) -> String {
        let link = "https://api.aliyun.com/troubleshoot?q=\(e.code)&product=Ecs&requestId=\(requestId)"
        guard let hint = e.hint else { return link }
        return link + " LocalECS: " + hint
    }

    static func respond(status: Int, _ object: WireObject, root: String, format: ResponseFormat,
                        extraHeaders: [(String, String)]) -> Response {
        let bytes: [UInt8]
        var headers = HTTPFields()
        switch format {
        case .json:
            bytes = JSONWriter.write(object)
            headers[.contentType] = jsonType
        case .xml:
            bytes = XMLWriter.write(root: root, object)
            headers[.contentType] = xmlType
        }
        for (name, value) in extraHeaders {
            if let n = HTTPField.Name(name) { headers[n] = value }
        }
        return Response(status: .init(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
