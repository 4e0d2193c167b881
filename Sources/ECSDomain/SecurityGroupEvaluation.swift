import ECSPolicy

/// One ingress rule of a security group, as ECS evaluates it (AuthorizeSecurityGroup's fields).
public struct IngressRule: Sendable, Equatable {
    public enum Policy: String, Sendable { case accept, drop }

    /// `tcp`, `udp`, `icmp`, `icmpv6`, `gre` or `all` (ECS compares case-insensitively).
    public var ipProtocol: String
    /// `from/to`: `22/22`, `1/65535`; `-1/-1` for all ports (and for icmp, gre, all).
    public var portRange: String
    /// `SourceCidrIp` or `Ipv6SourceCidrIp`; nil for a rule that names a source group or prefix
    /// list, which no client address outside the cloud can match.
    public var sourceCidr: String?
    public var policy: Policy
    /// 1 (first) to 100 (last); ECS's default is 1.
    public var priority: Int

    public init(ipProtocol: String, portRange: String, sourceCidr: String?, policy: Policy = .accept, priority: Int = 1) {
        self.ipProtocol = ipProtocol; self.portRange = portRange; self.sourceCidr = sourceCidr
        self.policy = policy; self.priority = priority
    }

    /// Whether this rule applies to TCP traffic to `port` from `source`.
    func matchesTCP(port: Int, from source: IPAddress) -> Bool {
        let proto = ipProtocol.lowercased()
        guard proto == "tcp" || proto == "all" else { return false }
        guard let cidr = sourceCidr, let network = IPNetwork(cidr), network.contains(source) else { return false }
        if proto == "all" { return true }
        let bounds = portRange.split(separator: "/", omittingEmptySubsequences: false)
        guard bounds.count == 2, let from = Int(bounds[0]), let to = Int(bounds[1]) else { return false }
        if from == -1 && to == -1 { return true }
        return from <= port && port <= to
    }
}

/// Whether an instance's security groups admit a TCP connection, as ECS decides it.
///
/// ECS pools the ingress rules of every group the instance is in and sorts them: priority first
/// (1 before 100), and at equal priority `drop` before `accept`. The first rule that matches the
/// traffic decides; traffic no rule matches is dropped (inbound is closed unless opened). Rules
/// naming a source security group or prefix list never match a client outside the cloud.
public enum SecurityGroupEvaluation {
    public static func admitsTCP(port: Int, from source: IPAddress, rules: [IngressRule]) -> Bool {
        let ordered = rules.enumerated().sorted { a, b in
            if a.element.priority != b.element.priority { return a.element.priority < b.element.priority }
            if a.element.policy != b.element.policy { return a.element.policy == .drop }
            return a.offset < b.offset
        }
        for (_, rule) in ordered where rule.matchesTCP(port: port, from: source) {
            return rule.policy == .accept
        }
        return false
    }

    /// The same, for a client address as text (`127.0.0.1`, `::1`); an unparsable one is refused.
    public static func admitsTCP(port: Int, from source: String, rules: [IngressRule]) -> Bool {
        guard let ip = IPAddress(source) else { return false }
        return admitsTCP(port: port, from: ip, rules: rules)
    }
}
