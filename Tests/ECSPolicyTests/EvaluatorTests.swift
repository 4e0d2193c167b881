import Testing
import ECSPolicy

private func custom(_ name: String, _ json: String) throws -> NamedPolicy {
    NamedPolicy(name: name, type: "Custom", document: try PolicyParser.parse(json))
}

private let region = "cn-hangzhou"
private let account = "1234567890123456"
private func instance(_ id: String) -> String { "acs:ecs:\(region):\(account):instance/\(id)" }
private func keypair(_ name: String) -> String { "acs:ecs:\(region):\(account):keypair/\(name)" }

@Suite("Policy evaluation")
struct EvaluatorTests {
    @Test("no policies: implicit deny naming the resource")
    func noPolicies() {
        let d = PolicyEvaluator.evaluate([], RequestContext(action: "ecs:DescribeKeyPairs", resources: [keypair("k")]))
        #expect(d == .implicitDeny(resource: keypair("k")))
        #expect(d.noPermissionType == "ImplicitDeny")
        #expect(d.deniedResource == keypair("k"))
        #expect(!d.isAllowed)
    }

    @Test("explicit deny beats AliyunECSFullAccess, whatever the policy order")
    func denyPrecedence() throws {
        let full = try #require(SystemPolicies.named("AliyunECSFullAccess"))
        let deny = try custom("NoDetach", #"{"Version":"1","Statement":[{"Effect":"Deny","Action":"ecs:DetachKeyPair","Resource":"*"}]}"#)
        let request = RequestContext(action: "ecs:DetachKeyPair", resources: [keypair("k"), instance("i-a1")])
        let expected = Decision.explicitDeny(policyName: "NoDetach", resource: keypair("k"))
        #expect(PolicyEvaluator.evaluate([full, deny], request) == expected)
        #expect(PolicyEvaluator.evaluate([deny, full], request) == expected)
        #expect(expected.noPermissionType == "ExplicitDeny")
        // Other actions stay allowed.
        #expect(PolicyEvaluator.evaluate([full, deny], RequestContext(action: "ecs:AttachKeyPair", resources: [keypair("k")])) == .allow)
    }

    @Test("a deny with a failing condition does not apply")
    func conditionalDeny() throws {
        let full = try #require(SystemPolicies.named("AliyunECSFullAccess"))
        let httpsOnly = try custom("HttpsOnly", #"{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":"false"}}}]}"#)
        let overHTTP = RequestContext(action: "ecs:DescribeInstances", resources: ["*"], conditionKeys: ["acs:SecureTransport": ["false"]])
        let overHTTPS = RequestContext(action: "ecs:DescribeInstances", resources: ["*"], conditionKeys: ["acs:SecureTransport": ["true"]])
        #expect(PolicyEvaluator.evaluate([full, httpsOnly], overHTTP) == .explicitDeny(policyName: "HttpsOnly", resource: "*"))
        #expect(PolicyEvaluator.evaluate([full, httpsOnly], overHTTPS) == .allow)
    }

    @Test("deny outside an office network with NotIpAddress, absent source IP denied too")
    func officeOnly() throws {
        let full = try #require(SystemPolicies.named("AliyunECSFullAccess"))
        let office = try custom("OfficeOnly", #"{"Version":"1","Statement":[{"Effect":"Deny","Action":"ecs:*","Resource":"*","Condition":{"NotIpAddress":{"acs:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}}]}"#)
        func decide(_ ip: String?) -> Decision {
            var keys: [String: [String]] = [:]
            if let ip { keys["acs:SourceIp"] = [ip] }
            return PolicyEvaluator.evaluate([full, office], RequestContext(action: "ecs:CreateKeyPair", resources: [keypair("*")], conditionKeys: keys))
        }
        #expect(decide("192.0.2.44") == .allow)
        #expect(decide("2001:db8::5") == .allow)
        #expect(decide("198.51.100.1") == .explicitDeny(policyName: "OfficeOnly", resource: keypair("*")))
        #expect(decide(nil) == .explicitDeny(policyName: "OfficeOnly", resource: keypair("*")))
    }

    @Test("NotAction allows everything except the listed actions")
    func notActionAllow() throws {
        let p = try custom("AllButKeys", #"{"Version":"1","Statement":[{"Effect":"Allow","NotAction":["ecs:*KeyPair*"],"Resource":"*"}]}"#)
        #expect(PolicyEvaluator.evaluate([p], RequestContext(action: "ecs:DescribeInstances", resources: ["*"])) == .allow)
        #expect(PolicyEvaluator.evaluate([p], RequestContext(action: "vpc:DescribeVpcs", resources: ["*"])) == .allow)
        #expect(PolicyEvaluator.evaluate([p], RequestContext(action: "ecs:DetachKeyPair", resources: [keypair("k")])) == .implicitDeny(resource: keypair("k")))
        #expect(PolicyEvaluator.evaluate([p], RequestContext(action: "ECS:DESCRIBEKEYPAIRS", resources: ["*"])) == .implicitDeny(resource: "*"))
    }

    @Test("NotAction deny denies everything except the listed actions")
    func notActionDeny() throws {
        let full = try #require(SystemPolicies.named("AliyunECSFullAccess"))
        let onlyReads = try custom("OnlyReads", #"{"Version":"1","Statement":[{"Effect":"Deny","NotAction":["ecs:Describe*","ecs:List*"],"Resource":"*"}]}"#)
        #expect(PolicyEvaluator.evaluate([full, onlyReads], RequestContext(action: "ecs:DescribeKeyPairs", resources: [keypair("k")])) == .allow)
        #expect(PolicyEvaluator.evaluate([full, onlyReads], RequestContext(action: "ecs:DeleteKeyPairs", resources: [keypair("k")]))
                == .explicitDeny(policyName: "OnlyReads", resource: keypair("k")))
    }

    @Test("actions match case-insensitively, resources case-sensitively")
    func caseRules() throws {
        let p = try custom("P", #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ECS:detachkeypair","Resource":"acs:ecs:*:*:keypair/Prod*"}]}"#)
        #expect(PolicyEvaluator.evaluate([p], RequestContext(action: "ecs:DetachKeyPair", resources: [keypair("Prod-1")])) == .allow)
        #expect(PolicyEvaluator.evaluate([p], RequestContext(action: "ecs:DetachKeyPair", resources: [keypair("prod-1")])) == .implicitDeny(resource: keypair("prod-1")))
    }

    @Test("multi-resource: every ARN must be allowed; the first one that is not is named")
    func multiResource() throws {
        let p = try custom("SomeInstances", #"""
        {"Version":"1","Statement":[
          {"Effect":"Allow","Action":"ecs:DetachKeyPair","Resource":["acs:ecs:*:*:keypair/*","acs:ecs:*:*:instance/i-a*"]}
        ]}
        """#)
        let ok = RequestContext(action: "ecs:DetachKeyPair", resources: [keypair("k"), instance("i-a1"), instance("i-a2")])
        #expect(PolicyEvaluator.evaluate([p], ok) == .allow)
        let mixed = RequestContext(action: "ecs:DetachKeyPair", resources: [keypair("k"), instance("i-a1"), instance("i-b"), instance("i-c")])
        #expect(PolicyEvaluator.evaluate([p], mixed) == .implicitDeny(resource: instance("i-b")))
        // The key pair alone is not enough for the instance, and vice versa.
        let keyOnly = try custom("KeyOnly", #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:DetachKeyPair","Resource":"acs:ecs:*:*:keypair/k"}]}"#)
        #expect(PolicyEvaluator.evaluate([keyOnly], ok) == .implicitDeny(resource: instance("i-a1")))
        // Allows may come from different policies.
        let instancesOnly = try custom("InstancesOnly", #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"acs:ecs:*:*:instance/*"}]}"#)
        #expect(PolicyEvaluator.evaluate([keyOnly, instancesOnly], mixed) == .allow)
    }

    @Test("multi-resource: a deny on any one resource denies the whole request")
    func multiResourceDeny() throws {
        let full = try #require(SystemPolicies.named("AliyunECSFullAccess"))
        let protect = try custom("ProtectProd", #"{"Version":"1","Statement":[{"Effect":"Deny","Action":"ecs:*KeyPair*","Resource":"acs:ecs:*:*:instance/i-prod*"}]}"#)
        let request = RequestContext(action: "ecs:DetachKeyPair", resources: [keypair("k"), instance("i-dev"), instance("i-prod-7"), instance("i-prod-8")])
        #expect(PolicyEvaluator.evaluate([full, protect], request) == .explicitDeny(policyName: "ProtectProd", resource: instance("i-prod-7")))
        // An explicit deny is reported even when an earlier resource is only implicitly denied.
        let partial = try custom("Partial", #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"acs:ecs:*:*:instance/*"}]}"#)
        #expect(PolicyEvaluator.evaluate([partial, protect], request) == .explicitDeny(policyName: "ProtectProd", resource: instance("i-prod-7")))
    }

    @Test("an empty resource list is evaluated as \"*\"")
    func emptyResources() throws {
        let scoped = try custom("Scoped", #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"acs:ecs:*:*:instance/*"}]}"#)
        #expect(PolicyEvaluator.evaluate([scoped], RequestContext(action: "ecs:DescribeRegions", resources: [])) == .implicitDeny(resource: "*"))
        let full = try #require(SystemPolicies.named("AliyunECSFullAccess"))
        #expect(PolicyEvaluator.evaluate([full], RequestContext(action: "ecs:DescribeRegions", resources: [])) == .allow)
    }

    @Test("conditions on an allow: met allows, unmet falls through to implicit deny")
    func conditionalAllow() throws {
        let p = try custom("Window", #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{"DateLessThan":{"acs:CurrentTime":"2026-12-01T00:00:00Z"},"Bool":{"acs:MFAPresent":"true"}}}]}"#)
        func decide(_ time: String, _ mfa: String) -> Decision {
            PolicyEvaluator.evaluate([p], RequestContext(action: "ecs:DescribeKeyPairs", resources: [keypair("k")],
                                                         conditionKeys: ["acs:CurrentTime": [time], "acs:MFAPresent": [mfa]]))
        }
        #expect(decide("2026-11-29T07:00:00Z", "true") == .allow)
        #expect(decide("2026-11-29T07:00:00Z", "false") == .implicitDeny(resource: keypair("k")))
        #expect(decide("2026-12-01T00:00:00Z", "true") == .implicitDeny(resource: keypair("k")))
    }

    @Test("statement helpers agree with evaluation")
    func statementHelpers() throws {
        let doc = try PolicyParser.parse(#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"acs:ecs:*:*:instance/*"}]}"#)
        var s = doc.statements[0]
        #expect(s.appliesToAction("ECS:DescribeInstances"))
        #expect(!s.appliesToAction("ecs:StartInstance"))
        #expect(s.appliesToResource(instance("i-1")))
        #expect(!s.appliesToResource(keypair("k")))
        // Reassigning recompiles.
        s.resources = ["acs:ecs:*:*:keypair/*"]
        s.actions = .notActions(["ecs:Describe*"])
        #expect(s.appliesToResource(keypair("k")))
        #expect(!s.appliesToResource(instance("i-1")))
        #expect(s.appliesToAction("ecs:StartInstance"))
        #expect(!s.appliesToAction("ecs:DescribeInstances"))
    }

    @Test("evaluation over many statements and resources stays fast")
    func performance() throws {
        var statements: [String] = []
        for i in 0..<40 {
            statements.append(#"{"Effect":"Allow","Action":["ecs:Describe*","ecs:*KeyPair*"],"Resource":"acs:ecs:*:*:instance/i-\#(i)*","Condition":{"IpAddress":{"acs:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}}"#)
        }
        let json = #"{"Version":"1","Statement":[\#(statements.joined(separator: ","))]}"#
        let p = NamedPolicy(name: "Big", type: "Custom", document: try PolicyParser.parse(json, maxLength: 20_000))
        let resources = (0..<50).map { instance("i-\($0 % 40)x") }
        let request = RequestContext(action: "ecs:DetachKeyPair", resources: resources, conditionKeys: ["acs:SourceIp": ["10.1.1.1"]])
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<200 { #expect(PolicyEvaluator.evaluate([p], request) == .allow) }
        }
        #expect(elapsed < .seconds(5))
    }
}
