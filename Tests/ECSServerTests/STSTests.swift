import ECSDomain
import ECSServer
import Foundation
import Testing

/// STS sessions through the router, where the clock can be moved: a session's credentials work
/// until its Expiration, then every call is `InvalidSecurityToken.Expired`.
@Suite("STS sessions through the router")
struct STSRouteTests {
    @Test func aSessionExpiresAfterItsDuration() async throws {
        try await withServer { c in
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

            let assumed = try await c.ecs("AssumeRole", [("RoleArn", "acs:ram::\(account):role/reader"), ("RoleSessionName", "s1"),
                                                         ("DurationSeconds", "900")], version: "2015-04-01", keyId: keyId, secret: secret)
            #expect(assumed.status == 200, "\(assumed.body)")
            let creds = try #require(assumed.json["Credentials"] as? [String: Any])
            let stsId = try #require(creds["AccessKeyId"] as? String), stsSecret = try #require(creds["AccessKeySecret"] as? String)
            let token = try #require(creds["SecurityToken"] as? String)
            #expect(creds["Expiration"] as? String == ECSTime.seconds(c.clock.nowMillis() + 900_000))

            func describe() async throws -> Reply {
                try await c.ecs("DescribeKeyPairs", [("RegionId", hz), ("SecurityToken", token)], keyId: stsId, secret: stsSecret)
            }
            #expect(try await describe().status == 200)
            c.clock.advance(millis: 899_000)
            #expect(try await describe().status == 200)
            c.clock.advance(millis: 1_000)
            let expired = try await describe()
            #expect(expired.status == 400)
            #expect(expired.code == "InvalidSecurityToken.Expired")
            #expect(expired["Message"] == "Specified SecurityToken is expired.")
        }
    }
}
