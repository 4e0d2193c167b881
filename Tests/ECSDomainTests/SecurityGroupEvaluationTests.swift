import ECSDomain
import Testing

/// ECS's ingress semantics, which will decide whether an instance's SSH port accepts a client:
/// pooled rules, priority order, drop before accept at equal priority, closed by default.
@Suite("Security group evaluation")
struct SecurityGroupEvaluationTests {
    let ssh = IngressRule(ipProtocol: "tcp", portRange: "22/22", sourceCidr: "0.0.0.0/0")

    @Test func closedWithoutRules() {
        #expect(!SecurityGroupEvaluation.admitsTCP(port: 22, from: "127.0.0.1", rules: []))
    }

    @Test func aMatchingAcceptAdmits() {
        #expect(SecurityGroupEvaluation.admitsTCP(port: 22, from: "127.0.0.1", rules: [ssh]))
        #expect(!SecurityGroupEvaluation.admitsTCP(port: 2222, from: "127.0.0.1", rules: [ssh]))
    }

    @Test(arguments: [
        ("tcp", "22/22", "127.0.0.0/8", "127.0.0.9", true),
        ("TCP", "1/65535", "127.0.0.1/32", "127.0.0.1", true),
        ("tcp", "1/65535", "127.0.0.2/32", "127.0.0.1", false),
        ("tcp", "-1/-1", "0.0.0.0/0", "127.0.0.1", true),
        ("all", "-1/-1", "0.0.0.0/0", "127.0.0.1", true),
        ("udp", "22/22", "0.0.0.0/0", "127.0.0.1", false),
        ("icmp", "-1/-1", "0.0.0.0/0", "127.0.0.1", false),
        ("tcp", "23/80", "0.0.0.0/0", "127.0.0.1", false),
        ("tcp", "22/22", "::/0", "127.0.0.1", false),
        ("tcp", "22/22", "::1/128", "::1", true),
        ("tcp", "22/22", "0.0.0.0/0", "::1", false),
        ("tcp", "22", "0.0.0.0/0", "127.0.0.1", false),
        ("tcp", "22/22", "not a cidr", "127.0.0.1", false),
        ("tcp", "22/22", "0.0.0.0/0", "not an address", false),
    ])
    func matching(_ proto: String, _ ports: String, _ cidr: String, _ client: String, _ admitted: Bool) {
        let rule = IngressRule(ipProtocol: proto, portRange: ports, sourceCidr: cidr)
        #expect(SecurityGroupEvaluation.admitsTCP(port: 22, from: client, rules: [rule]) == admitted)
    }

    @Test func priorityDecidesAndDropWinsATie() {
        let drop1 = IngressRule(ipProtocol: "tcp", portRange: "22/22", sourceCidr: "127.0.0.1/32", policy: .drop, priority: 1)
        let accept1 = IngressRule(ipProtocol: "tcp", portRange: "22/22", sourceCidr: "0.0.0.0/0", policy: .accept, priority: 1)
        let accept2 = IngressRule(ipProtocol: "tcp", portRange: "22/22", sourceCidr: "127.0.0.0/8", policy: .accept, priority: 2)
        let drop5 = IngressRule(ipProtocol: "all", portRange: "-1/-1", sourceCidr: "0.0.0.0/0", policy: .drop, priority: 5)
        // Same priority: drop first, whatever the order the rules came in.
        #expect(!SecurityGroupEvaluation.admitsTCP(port: 22, from: "127.0.0.1", rules: [accept1, drop1]))
        #expect(!SecurityGroupEvaluation.admitsTCP(port: 22, from: "127.0.0.1", rules: [drop1, accept1]))
        // The drop matches 127.0.0.1 only: another loopback address falls through to the accept.
        #expect(SecurityGroupEvaluation.admitsTCP(port: 22, from: "127.0.0.2", rules: [drop1, accept1]))
        // A lower number is a higher priority: accept at 2 beats drop-all at 5.
        #expect(SecurityGroupEvaluation.admitsTCP(port: 22, from: "127.0.0.3", rules: [drop5, accept2]))
        #expect(!SecurityGroupEvaluation.admitsTCP(port: 22, from: "127.0.0.3", rules: [drop5]))
    }

    @Test func rulesOfSeveralGroupsArePooled() {
        // Group A accepts SSH at priority 10; group B drops everything at priority 1: B wins.
        let groupA = [IngressRule(ipProtocol: "tcp", portRange: "22/22", sourceCidr: "0.0.0.0/0", priority: 10)]
        let groupB = [IngressRule(ipProtocol: "all", portRange: "-1/-1", sourceCidr: "0.0.0.0/0", policy: .drop, priority: 1)]
        #expect(!SecurityGroupEvaluation.admitsTCP(port: 22, from: "127.0.0.1", rules: groupA + groupB))
        #expect(SecurityGroupEvaluation.admitsTCP(port: 22, from: "127.0.0.1", rules: groupA))
    }

    @Test func sourceGroupRulesNeverMatchAnOutsideClient() {
        let fromGroup = IngressRule(ipProtocol: "tcp", portRange: "22/22", sourceCidr: nil)
        #expect(!SecurityGroupEvaluation.admitsTCP(port: 22, from: "127.0.0.1", rules: [fromGroup]))
    }
}
