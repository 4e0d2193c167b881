import ECSDomain
import ECSServer
import ECSSignature
import ECSStoreSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

let accessKeyId = ServerConfig.defaultAccessKeyId
let accessKeySecret = ServerConfig.defaultAccessKeySecret
let hz = "cn-hangzhou"
let linuxImage = "ubuntu_22_04_x64_20G_alibase_20240101.vhd"
let windowsImage = "win2022_21H2_x64_dtc_en-us_40G_alibase_20240815.vhd"
let ecdsaKey = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBK10A0GgtJwZg4XgiAA90ud5u+zTVHt2I+8ueLcCGQPn4xA8m7onGlVIv0OyC9BTQcMuF0e7sacy+QLJhRl/NJ4= t"
let ecdsaKeyMD5 = "59:2e:0f:0f:99:24:d2:03:e8:6f:60:21:76:18:80:35"
/// What the router test framework puts in the request head (and so what V3 clients sign as `host`).
let routerTestAuthority = "localhost"

/// A response, with helpers to read its JSON or XML body.
struct Reply: Sendable {
    let status: Int
    let headers: HTTPFields
    let body: String

    /// The body as a JSON object (empty if it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }
    subscript(_ key: String) -> String? { json[key] as? String }
    var code: String? { self["Code"] }
    var contentType: String? { headers[.contentType] }

    /// The text of the first `<tag>…</tag>` in an XML body.
    func xml(_ tag: String) -> String? {
        guard let start = body.range(of: "<\(tag)>"), let end = body.range(of: "</\(tag)>", range: start.upperBound..<body.endIndex) else {
            return nil
        }
        return String(body[start.upperBound..<end.lowerBound])
    }

    /// The objects of a double-wrapped JSON list (`{"KeyPairs":{"KeyPair":[…]}}`).
    func list(_ outer: String, _ inner: String) -> [[String: Any]] {
        guard let o = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let wrapper = o[outer] as? [String: Any], let items = wrapper[inner] as? [Any] else { return [] }
        return items.compactMap { $0 as? [String: Any] }
    }
}

/// How a call is signed and sent.
enum Signing: Sendable, CustomTestStringConvertible {
    /// V1, every parameter in the query of a GET.
    case v1Get
    /// V1, every parameter in an `application/x-www-form-urlencoded` POST body.
    case v1Form
    /// V3 (`ACS3-HMAC-SHA256`) headers, business parameters in the query of a POST.
    case v3

    var testDescription: String {
        switch self {
        case .v1Get: "V1 GET"
        case .v1Form: "V1 form POST"
        case .v3: "V3"
        }
    }
}

/// A test client that signs every call with `Signer`, like a real SDK.
struct ECSClient: Sendable {
    let client: any TestClientProtocol
    let clock: ManualClock

    var timestamp: String { Signer.timestamp(now: Double(clock.nowMillis()) / 1000) }

    func ecs(_ action: String, _ params: [(String, String)] = [], signing: Signing = .v1Get, format: String? = "JSON",
             version: String = "2014-05-26", keyId: String = accessKeyId, secret: String = accessKeySecret,
             nonce: String = UUID().uuidString, timestamp: String? = nil) async throws -> Reply {
        let params = params.map { (name: $0.0, value: $0.1) }
        let timestamp = timestamp ?? self.timestamp
        switch signing {
        case .v1Get, .v1Form:
            let method = signing == .v1Get ? "GET" : "POST"
            let pairs = Signer.signV1(method: method, action: action, version: version, parameters: params, accessKeyId: keyId,
                                      secret: secret, nonce: nonce, timestamp: timestamp, format: format)
            if signing == .v1Get { return try await get("/?" + Signer.queryString(pairs)) }
            return try await send("/", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                  body: Signer.queryString(pairs))
        case .v3:
            var query = params
            if let format { query.append((name: "Format", value: format)) }
            let headers = Signer.signV3(method: "POST", host: routerTestAuthority, action: action, version: version, query: query,
                                        body: [], accessKeyId: keyId, secret: secret, nonce: nonce, date: timestamp)
            return try await send(query.isEmpty ? "/" : "/?" + Signer.queryString(query), method: .post, headers: Self.fields(headers))
        }
    }

    /// Sends exactly these headers (the router test framework supplies the authority, so `host` is left out).
    static func fields(_ headers: [(name: String, value: String)]) -> HTTPFields {
        var fields = HTTPFields()
        for h in headers where h.name != "host" {
            fields.append(HTTPField(name: HTTPField.Name(h.name)!, value: h.value))
        }
        return fields
    }

    func get(_ uri: String) async throws -> Reply {
        try await send(uri, method: .get)
    }

    func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: String? = nil) async throws -> Reply {
        try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { r in
            Reply(status: Int(r.status.code), headers: r.headers, body: String(buffer: r.body))
        }
    }

    /// RunInstances of one instance; returns its ID.
    func runInstance(image: String = linuxImage, _ extra: [(String, String)] = []) async throws -> String {
        let r = try await ecs("RunInstances", [("RegionId", hz), ("ImageId", image), ("InstanceType", "ecs.g7.large")] + extra)
        #expect(r.status == 200, "\(r.body)")
        let ids = try #require(try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any])
        let set = try #require((ids["InstanceIdSets"] as? [String: Any])?["InstanceIdSet"] as? [String])
        return try #require(set.first)
    }

    /// What the admin view says about an instance.
    func admin(_ id: String) async throws -> Reply { try await get("/_localecs/instances/\(id)") }
}

/// A server over a fresh in-memory store with the default account, reached through the router.
func withServer(_ config: DomainConfig = DomainConfig(transitionMillis: 0),
                _ body: @escaping @Sendable (ECSClient) async throws -> Void) async throws {
    let store = try SQLiteStore(path: nil)
    let clock = ManualClock()
    let services = Services(store: store, clock: clock, config: config)
    try await services.accounts.ensureAccount(id: ServerConfig.defaultAccountId, accessKeyId: accessKeyId, secret: accessKeySecret)
    let router = buildRouter(services: services, config: ServerConfig(store: .memory, domain: config), logger: Logger(label: "test"))
    let app = Application(router: router)
    do {
        try await app.test(.router) { client in try await body(ECSClient(client: client, clock: clock)) }
    } catch {
        await store.close()
        throw error
    }
    await store.close()
}
