import ECSPolicy
import Testing

@Suite("Trust policies (AssumeRolePolicyDocument)")
struct TrustPolicyTests {
    static let account = "1000000000000042"

    func allowed(_ json: String, _ principal: String, account: String = account) throws -> Bool {
        let trust = try PolicyParser.parseTrustPolicy(json)
        let document = trust.document(forPrincipal: principal, account: account)
        return PolicyEvaluator.evaluate([NamedPolicy(name: "t", type: "AssumeRolePolicy", document: document)],
                                        RequestContext(action: "sts:AssumeRole", resources: ["*"])).isAllowed
    }

    static func doc(_ principal: String, effect: String = "Allow") -> String {
        #"{"Version":"1","Statement":[{"Effect":"\#(effect)","Action":"sts:AssumeRole","Principal":\#(principal)}]}"#
    }

    @Test func rootNamesEveryIdentityOfItsAccount() throws {
        let root = Self.doc(#"{"RAM":["acs:ram::\#(Self.account):root"]}"#)
        #expect(try allowed(root, "acs:ram::\(Self.account):user/dev"))
        #expect(try allowed(root, "acs:ram::\(Self.account):role/other"))
        #expect(try !allowed(root, "acs:ram::2000000000000000:user/dev", account: "2000000000000000"))
        #expect(try allowed(Self.doc(#"{"RAM":"\#(Self.account)"}"#), "acs:ram::\(Self.account):user/dev"))
    }

    @Test func userARNsNameOneUserAndDenyWins() throws {
        let one = Self.doc(#"{"RAM":["acs:ram::\#(Self.account):user/dev"]}"#)
        #expect(try allowed(one, "acs:ram::\(Self.account):user/dev"))
        #expect(try !allowed(one, "acs:ram::\(Self.account):user/ops"))
        let both = #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::\#(Self.account):root"]}},{"Effect":"Deny","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::\#(Self.account):user/dev"}}]}"#
        #expect(try !allowed(both, "acs:ram::\(Self.account):user/dev"))
        #expect(try allowed(both, "acs:ram::\(Self.account):user/ops"))
        #expect(try !allowed(Self.doc(#"{"Service":["ecs.aliyuncs.com"]}"#), "acs:ram::\(Self.account):user/dev"))
    }

    @Test func malformedTrustPolicies() {
        for bad in [
            #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#,
            #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":[]}}]}"#,
            #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"User":["x"]}}]}"#,
            #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Principal":{"RAM":["x"]}}]}"#,
            #"{"Version":"2","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["x"]}}]}"#,
            #"{"Version":"1","Statement":[]}"#,
            "",
        ] {
            #expect(throws: PolicyError.self, "\(bad)") { try PolicyParser.parseTrustPolicy(bad) }
        }
        // Identity policies still refuse Principal.
        #expect(throws: PolicyError.self) { try PolicyParser.parse(Self.doc(#"{"RAM":["x"]}"#)) }
    }
}
