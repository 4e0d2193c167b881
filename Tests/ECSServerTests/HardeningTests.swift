import ECSAPI
import ECSDomain
import ECSServer
import ECSSignature
import ECSStore
import ECSStoreSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Issue 9's defects, each through the router with a clock the test moves.
@Suite("Hardening (issue 9)")
struct HardeningTests {
    /// Like `withServer`, but the test also holds the store and may pass its own config.
    func withStoreServer(_ config: ServerConfig = ServerConfig(store: .memory, domain: DomainConfig(transitionMillis: 0)),
                         _ body: @escaping @Sendable (ECSClient, any Store) async throws -> Void) async throws {
        let store = try SQLiteStore(path: nil)
        let clock = ManualClock()
        let services = Services(store: store, clock: clock, config: config.domain)
        try await services.accounts.ensureAccount(id: ServerConfig.defaultAccountId, accessKeyId: accessKeyId, secret: accessKeySecret)
        let router = buildRouter(services: services, config: config, logger: Logger(label: "test"))
        let app = Application(router: router)
        do {
            try await app.test(.router) { client in try await body(ECSClient(client: client, clock: clock), store) }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    // A page number whose offset overflows Int used to trap, ending the whole process.
    @Test(arguments: ["DescribeKeyPairs", "DescribeInstances", "DescribeImages", "DescribeInstanceStatus"])
    func hugePageNumbersAreRefusedNotFatal(_ action: String) async throws {
        try await withServer { c in
            for number in ["1000000000000000000", "9223372036854775807", "2147483648"] {
                let r = try await c.ecs(action, [("RegionId", hz), ("PageNumber", number), ("PageSize", "50")])
                #expect(r.status == 400, "\(r.body)")
                #expect(r.code == "InvalidParameter")
                #expect(r["Message"] == #"The specified parameter "PageNumber" is not valid. It must be an integer from 1 to 2147483647."#)
            }
            let last = try await c.ecs(action, [("RegionId", hz), ("PageNumber", "2147483647"), ("PageSize", "50")])
            #expect(last.status == 200, "\(last.body)")
        }
    }

    @Test func pageOffsetsSaturateInsteadOfTrapping() {
        #expect(PageRequest(number: Int.max, size: 50).offset == Int.max)
        #expect(PageRequest(number: 3, size: 20).offset == 40)
        #expect(PageRequest(number: Int.min, size: 50).offset == 0)
    }

    // A request stamped 14 minutes ahead stays valid until 29 minutes after it arrived; its
    // nonce used to be purged 16 minutes after arrival, reopening the replay window.
    @Test func aNonceOutlivesItsRequestsWindow() async throws {
        try await withStoreServer { c, store in
            let ahead = Signer.timestamp(now: Double(c.clock.nowMillis() + 14 * 60_000) / 1000)
            let nonce = UUID().uuidString
            let first = try await c.ecs("DescribeRegions", nonce: nonce, timestamp: ahead)
            #expect(first.status == 200, "\(first.body)")
            c.clock.advance(millis: 17 * 60_000)
            // What the store's routine purge does at this moment.
            try await store.purgeNonces(expiredBefore: c.clock.nowMillis())
            let replay = try await c.ecs("DescribeRegions", nonce: nonce, timestamp: ahead)
            #expect(replay.code == "SignatureNonceUsed", "\(replay.body)")
            // Once the timestamp has left the window, the window refuses it.
            c.clock.advance(millis: 13 * 60_000)
            try await store.purgeNonces(expiredBefore: c.clock.nowMillis())
            #expect(try await c.ecs("DescribeRegions", nonce: nonce, timestamp: ahead).code == "InvalidTimeStamp.Expired")
        }
    }

    // The idempotency record kept the joined request parameters, Password included.
    @Test func idempotencyRecordsHoldNoPassword() async throws {
        try await withStoreServer { c, store in
            let password = "Secr3t!Pass-\(UInt32.random(in: 0 ... .max))"
            let params = [("RegionId", hz), ("ImageId", linuxImage), ("InstanceType", "ecs.g7.large"),
                          ("Password", password), ("ClientToken", "tok-1")]
            let first = try await c.ecs("RunInstances", params)
            #expect(first.status == 200, "\(first.body)")
            let record = try #require(try await store.read {
                try $0.idempotency(account: ServerConfig.defaultAccountId, token: "tok-1", action: "RunInstances")
            })
            #expect(!record.requestDigest.contains(password))
            #expect(record.requestDigest.hasPrefix("sha256:"))
            #expect(record.requestDigest.contains("pbkdf2-sha256$210000$"))
            // Same request again: the same instance; another password: a mismatch.
            let again = try await c.ecs("RunInstances", params)
            #expect(again.body == first.body.replacingOccurrences(of: first["RequestId"] ?? "", with: again["RequestId"] ?? ""))
            let other = try await c.ecs("RunInstances", params.map { $0.0 == "Password" ? ($0.0, password + "x") : $0 })
            #expect(other.code == "IdempotentParameterMismatch", "\(other.body)")
        }
    }

    // V3 signs the body but not Content-Type: dropping the header used to drop the body's
    // parameters (DryRun) while the signature still verified.
    @Test(arguments: [nil, "application/octet-stream", "application/x-www-form-urlencoded"])
    func v3BodyParametersDoNotDependOnContentType(_ contentType: String?) async throws {
        try await withServer { c in
            let query: [(name: String, value: String)] = [("RegionId", hz), ("ImageId", linuxImage),
                                                          ("InstanceType", "ecs.g7.large"), ("Format", "JSON")]
            let body = Array("DryRun=true&InstanceName=dry".utf8)
            var fields = ECSClient.fields(Signer.signV3(
                method: "POST", host: routerTestAuthority, action: "RunInstances", version: "2014-05-26", query: query,
                body: body, accessKeyId: accessKeyId, secret: accessKeySecret, nonce: UUID().uuidString, date: c.timestamp))
            if let contentType { fields[.contentType] = contentType }
            let r = try await c.send("/?" + Signer.queryString(query), method: .post, headers: fields,
                                     body: String(decoding: body, as: UTF8.self))
            #expect(r.code == "DryRunOperation", "\(r.body)")
            let listed = try await c.ecs("DescribeInstances", [("RegionId", hz), ("InstanceName", "dry")])
            #expect(listed.json["TotalCount"] as? Int == 0)
        }
    }

    // The STS token was compared (with ==) before the signature: an unsigned guess learnt
    // whether its token was right. Now a wrong signature is all it learns.
    @Test func aSessionsSignatureIsCheckedBeforeItsToken() async throws {
        try await withServer { c in
            let (stsId, stsSecret, token) = try await assumeReaderRole(c)
            let wrongBoth = try await c.ecs("DescribeRegions", [("SecurityToken", token + "x")], keyId: stsId, secret: "not-the-secret")
            #expect(wrongBoth.code == "SignatureDoesNotMatch", "\(wrongBoth.body)")
            let wrongToken = try await c.ecs("DescribeRegions", [("SecurityToken", token + "x")], keyId: stsId, secret: stsSecret)
            #expect(wrongToken.code == "InvalidSecurityToken.MismatchWithAccessKey", "\(wrongToken.body)")
            let right = try await c.ecs("DescribeRegions", [("SecurityToken", token)], keyId: stsId, secret: stsSecret)
            #expect(right.status == 200, "\(right.body)")
        }
    }

    // The token is only compared, so the store keeps its SHA-256, not the token.
    @Test func aSessionsTokenIsNotStored() async throws {
        try await withStoreServer { c, store in
            let (stsId, _, token) = try await assumeReaderRole(c)
            let stored = try #require(try await store.read { try $0.stsSession(accessKeyId: stsId) })
            #expect(stored.token != token && !stored.token.contains(token))
            #expect(stored.token == "sha256:" + Signature.sha256Hex(Array(token.utf8)))
        }
    }

    @Test func requestsBeyondTheParameterLimitsAreRefused() async throws {
        try await withServer { c in
            let many = (0..<(RequestLimits.maxParameters + 1)).map { ("X\($0)", "v") }
            let r = try await c.ecs("DescribeRegions", many)
            #expect(r.status == 400 && r.code == "InvalidParameter", "\(r.body)")
            #expect(r["Message"]?.contains("at most \(RequestLimits.maxParameters)") == true)
            let long = try await c.ecs("DescribeRegions", [("AcceptLanguage", String(repeating: "a", count: RequestLimits.maxValueLength + 1))],
                                       signing: .v1Form)
            #expect(long.status == 400 && long.code == "InvalidParameter", "\(long.body)")
            #expect(long["Message"]?.contains("AcceptLanguage") == true)
        }
    }

    @Test(arguments: [-1, 0, 101])
    func amountOutsideItsRangeIsTheDocumentedError(_ amount: Int) async throws {
        try await withServer { c in
            let r = try await c.ecs("RunInstances", [("RegionId", hz), ("ImageId", linuxImage), ("InstanceType", "ecs.g7.large"),
                                                     ("Amount", String(amount))])
            #expect(r.status == 403 && r.code == "InvalidParam.Amount", "\(r.body)")
        }
    }

    // MARK: - Admin routes and exposure

    @Test func adminRoutesNeedTheTokenOnceOneIsSet() async throws {
        var config = ServerConfig(store: .memory, domain: DomainConfig(transitionMillis: 0))
        config.adminToken = "s3cret-admin"
        try await withStoreServer(config) { c, _ in
            let id = try await c.runInstance()
            #expect(try await c.admin(id).status == 401)
            var auth = HTTPFields()
            auth[.authorization] = "Bearer wrong"
            #expect(try await c.send("/_localecs/instances/\(id)", method: .get, headers: auth).status == 401)
            auth[.authorization] = "Bearer s3cret-admin"
            #expect(try await c.send("/_localecs/instances/\(id)", method: .get, headers: auth).status == 200)
            #expect(try await c.get("/_localecs/health").status == 200)
        }
    }

    @Test func adminRoutesAreClosedBeyondLoopbackWithoutAToken() async throws {
        var config = ServerConfig(host: "0.0.0.0", store: .memory, domain: DomainConfig(transitionMillis: 0))
        config.accessKeySecret = "not-the-default"
        try await withStoreServer(config) { c, _ in
            let id = try await c.runInstance()
            let r = try await c.admin(id)
            #expect(r.status == 403 && r.code == "Forbidden.AdminToken", "\(r.body)")
        }
    }

    @Test func adminLookupTellsStoreFailuresFromMissingInstances() async throws {
        try await withStoreServer { c, store in
            #expect(try await c.admin("i-nosuchinstance").status == 404)
            await store.close()
            let r = try await c.admin("i-nosuchinstance")
            #expect(r.status == 503, "\(r.body)")
        }
    }

    @Test func exposureRules() {
        #expect(Exposure.isLoopback("127.0.0.1") && Exposure.isLoopback("localhost") && Exposure.isLoopback("::1")
                && Exposure.isLoopback("[::1]") && Exposure.isLoopback("127.8.9.10"))
        #expect(!Exposure.isLoopback("0.0.0.0") && !Exposure.isLoopback("::") && !Exposure.isLoopback("10.0.0.1")
                && !Exposure.isLoopback("127.evil.example"))
        #expect(Exposure.startProblem(ServerConfig(host: "127.0.0.1")) == nil)
        #expect(Exposure.startProblem(ServerConfig(host: "0.0.0.0")) != nil)
        #expect(Exposure.startProblem(ServerConfig(host: "0.0.0.0", allowDefaultCredentials: true)) == nil)
        #expect(Exposure.startProblem(ServerConfig(host: "0.0.0.0", accessKeySecret: "mine")) == nil)
    }

    @Test func aChangedRootSecretIsApplied() async throws {
        let store = try SQLiteStore(path: nil)
        let services = Services(store: store, clock: ManualClock(), config: DomainConfig())
        let a = ServerConfig.defaultAccountId
        #expect(try await services.accounts.configureRootKey(account: a, accessKeyId: "AKroot", secret: "one") == .created)
        #expect(try await services.accounts.configureRootKey(account: a, accessKeyId: "AKroot", secret: "one") == .unchanged)
        #expect(try await services.accounts.configureRootKey(account: a, accessKeyId: "AKroot", secret: "two") == .secretReplaced)
        #expect(try await store.read { try $0.accessKey(id: "AKroot") }?.secret == "two")
        await store.close()
    }
}

/// A RAM user assumes a read-only role; returns the session's credentials.
func assumeReaderRole(_ c: ECSClient) async throws -> (id: String, secret: String, token: String) {
    let account = ServerConfig.defaultAccountId
    func ram(_ action: String, _ params: [(String, String)]) async throws -> Reply {
        let r = try await c.ecs(action, params, version: "2015-05-01")
        #expect(r.status == 200, "\(action): \(r.body)")
        return r
    }
    _ = try await ram("CreateUser", [("UserName", "dev")])
    let key = try #require(try await ram("CreateAccessKey", [("UserName", "dev")]).json["AccessKey"] as? [String: Any])
    let keyId = try #require(key["AccessKeyId"] as? String), secret = try #require(key["AccessKeySecret"] as? String)
    _ = try await ram("CreatePolicy", [("PolicyName", "assume"), ("PolicyDocument",
        #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#)])
    _ = try await ram("AttachPolicyToUser", [("PolicyType", "Custom"), ("PolicyName", "assume"), ("UserName", "dev")])
    _ = try await ram("CreateRole", [("RoleName", "reader"), ("AssumeRolePolicyDocument",
        #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::\#(account):root"]}}]}"#)])
    _ = try await ram("AttachPolicyToRole", [("PolicyType", "System"), ("PolicyName", "AliyunECSReadOnlyAccess"), ("RoleName", "reader")])
    let assumed = try await c.ecs("AssumeRole", [("RoleArn", "acs:ram::\(account):role/reader"), ("RoleSessionName", "s1")],
                                  version: "2015-04-01", keyId: keyId, secret: secret)
    let creds = try #require(assumed.json["Credentials"] as? [String: Any], "\(assumed.body)")
    return (try #require(creds["AccessKeyId"] as? String), try #require(creds["AccessKeySecret"] as? String),
            try #require(creds["SecurityToken"] as? String))
}
