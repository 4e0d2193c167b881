import ECSAPI
import ECSDomain
import ECSStore

/// What the request path captures of one call for the audit trail: cheap copies only. The event's
/// ID and JSON are built when the recorder flushes, off the request path.
struct AuditDraft: Sendable {
    /// This node's arrival order, the first half of the event ID (`AuditDraft.eventId`).
    let sequence: UInt64
    let time: Int64
    let requestId: String
    let spec: ActionSpec
    let caller: Caller
    let params: [(name: String, value: String)]
    let sourceIp: String?
    let userAgent: String?
    let host: String
    var input: Input?
    /// `RegionId` as parsed, kept once `finish` has dropped the input.
    var region: String?
    var errorCode: String?
    var errorMessage: String?
    /// `(type, name)` of the resources the call named or created.
    var resources: [(type: String, name: String)] = []

    /// The parameters whose values never enter the trail (matched on the last dotted component).
    /// Compared as bytes: `StringProtocol.contains` goes through Foundation's CFStringFind, which
    /// cost more than the rest of the event (perf, issue 13).
    static func isSecret(_ name: String) -> Bool {
        var last = name.utf8[...]
        if let dot = last.lastIndex(of: UInt8(ascii: ".")) { last = last[last.index(after: dot)...] }
        return contains(last, "Password") || contains(last, "Secret") || last.elementsEqual("SecurityToken".utf8)
            || last.elementsEqual("PrivateKeyBody".utf8) || last.elementsEqual("Signature".utf8)
    }

    static func contains(_ haystack: Substring.UTF8View, _ needle: StaticString) -> Bool {
        let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard haystack.count >= n.count, let first = n.first else { return n.isEmpty }
        var i = haystack.startIndex
        while let at = haystack[i...].firstIndex(of: first) {
            var h = at, j = 0
            while j < n.count, h < haystack.endIndex, haystack[h] == n[j] { h = haystack.index(after: h); j += 1 }
            if j == n.count { return true }
            i = haystack.index(after: at)
        }
        return false
    }

    /// A UUID-shaped ID whose first 16 hex digits are `sequence`: IDs sort in the order calls
    /// arrived on this node, so newest-first paging keeps call order within a millisecond. The
    /// rest is the request ID's random tail (`-XXXX-XXXXXXXXXXXX`), so no second random draw per call.
    static func eventId(sequence n: UInt64, random: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for i in 0..<16 {
            if i == 8 || i == 12 { out.append(UInt8(ascii: "-")) }
            out.append(upperHex[Int((n >> UInt64((15 - i) * 4)) & 0xF)])
        }
        out.append(contentsOf: random.utf8.suffix(18))
        return String(decoding: out, as: UTF8.self)
    }
    static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    var eventId: String { Self.eventId(sequence: sequence, random: requestId) }

    /// Signature plumbing that says nothing about the call. A switch, not a `Set`: it compares a
    /// few short strings where the set hashed every parameter name of every event.
    static func isPlumbing(_ name: String) -> Bool {
        switch name {
        case "AccessKeyId", "SignatureNonce", "SignatureMethod", "SignatureVersion", "SignatureType",
             "Timestamp", "Format", "Version", "Action":
            return true
        default:
            return false
        }
    }

    var eventRW: String { spec.readOnly ? "Read" : "Write" }

    /// ActionTrail's `userName`: the RAM user, `role:session` for STS credentials, `root`.
    var userName: String {
        if let u = caller.userName { return u }
        if let s = caller.session { return s.roleName + ":" + s.sessionName }
        return "root"
    }

    /// The resources the input names, per the action's declared resource specs, and those the
    /// output reports as created.
    mutating func collectResources(output: WireObject?) {
        var out: [(String, String)] = []
        let input = self.input ?? Input()
        func add(_ type: String, _ names: [String]) { for n in names where !n.utf8.contains(0x0A) && !n.isEmpty { out.append((type, n)) } }
        for r in spec.resources {
            switch r {
            case .all: break
            case .keyPair(let p): add("ACS::ECS::KeyPair", input.string(p).map { [$0] } ?? [])
            case .keyPairs(let p): add("ACS::ECS::KeyPair", input.list(p) ?? [])
            case .anyKeyPair: add("ACS::ECS::KeyPair", input.string("KeyPairName").map { [$0] } ?? [])
            case .instance(let p): add("ACS::ECS::Instance", input.string(p).map { [$0] } ?? [])
            case .instances(let p): add("ACS::ECS::Instance", input.list(p) ?? [])
            case .anySecurityGroup:
                if case .string(let id)? = output?["SecurityGroupId"] { add("ACS::ECS::SecurityGroup", [id]) }
            case .securityGroup(let p): add("ACS::ECS::SecurityGroup", input.string(p).map { [$0] } ?? [])
            case .securityGroups(let single, let list):
                add("ACS::ECS::SecurityGroup", (input.string(single).map { [$0] } ?? []) + (input.list(list) ?? []))
            case .tagged(let typeParam, let idsParam):
                let types = ["instance": "ACS::ECS::Instance", "keypair": "ACS::ECS::KeyPair", "securitygroup": "ACS::ECS::SecurityGroup"]
                if let type = types[(input.string(typeParam) ?? "").lowercased()] { add(type, input.list(idsParam) ?? []) }
            case .anyInstance:
                if case .string(let id)? = output?["InstanceId"] { add("ACS::ECS::Instance", [id]) }
                if case .list(_, let ids)? = output?["InstanceIdSets"] {
                    add("ACS::ECS::Instance", ids.compactMap { v -> String? in
                        if case .string(let s) = v { return s }
                        return nil
                    })
                }
            case .ram(let kind, let p):
                add("ACS::RAM::" + kind.prefix(1).uppercased() + kind.dropFirst(), p.flatMap { input.string($0) }.map { [$0] } ?? [])
            case .arn(let p):
                if let arn = input.string(p), let name = arn.split(separator: "/").last { add("ACS::RAM::Role", [String(name)]) }
            case .network(let kind, let p):
                // ActionTrail's types for the VPC API's resources; a create names the ID it made.
                let type = kind == "vpc" ? "ACS::VPC::VPC" : "ACS::VPC::VSwitch"
                let idKey = kind == "vpc" ? "VpcId" : "VSwitchId"
                add(type, p.flatMap { input.string($0) }.map { [$0] } ?? [])
                if p == nil, case .string(let id)? = output?[idKey] { add(type, [id]) }
            case .taggedNetworks(let idsParam, let typeParam):
                let type = input.string(typeParam)?.uppercased() == "VSWITCH" ? "ACS::VPC::VSwitch" : "ACS::VPC::VPC"
                add(type, input.list(idsParam) ?? [])
            }
        }
        resources = out
    }

    /// The stored event; `principalId` is the RAM user's ID when the recorder could look it up.
    /// The JSON is written straight into bytes, field for field what a `WireObject` of the same
    /// entries gives through `JSONWriter` (a WireObject per event cost ~5 µs of the flush).
    func record(userId: String?) -> AuditEventRecord {
        let id = eventId
        // Distinct and sorted; a call names resources of one or two types, so no set is needed.
        var types: [String] = []
        for r in resources where !types.contains(r.type) { types.append(r.type) }
        types.sort()
        let region = self.region ?? input?.string("RegionId") ?? params.last(where: { $0.name == "RegionId" })?.value ?? ""
        var j = EventJSON()
        j.field("eventId", id, first: true)
        j.field("eventVersion", "1")
        j.field("eventTime", ECSTime.seconds(time))
        j.field("eventName", spec.name)
        j.field("eventType", "ApiCall")
        j.field("eventRW", eventRW)
        j.field("eventSource", host)
        j.field("serviceName", spec.product.serviceName)
        j.field("apiVersion", spec.product.rawValue)
        j.field("acsRegion", region)
        j.field("requestId", requestId)
        j.field("sourceIpAddress", sourceIp ?? "")
        j.field("userAgent", userAgent ?? "")
        j.key("userIdentity"); j.open()
        switch (caller.userName, caller.session) {
        case (let u?, _):
            j.field("type", "ram-user", first: true); j.field("principalId", userId ?? u)
        case (nil, let s?):
            j.field("type", "assumed-role", first: true); j.field("principalId", s.roleId + ":" + s.sessionName)
        case (nil, nil):
            j.field("type", "root-account", first: true); j.field("principalId", caller.accountId)
        }
        j.field("accountId", caller.accountId)
        j.field("accessKeyId", caller.accessKeyId)
        j.field("userName", userName)
        j.close()
        j.key("requestParameters"); j.open()
        var first = true
        for (name, value) in params where !Self.isPlumbing(name) {
            j.field(name, Self.isSecret(name) ? "******" : value, first: first); first = false
        }
        j.close()
        j.key("referencedResources"); j.open()
        for (n, type) in types.enumerated() {
            if n > 0 { j.comma() }
            j.string(type); j.colon(); j.openArray()
            var firstName = true
            for r in resources where r.type == type {
                if !firstName { j.comma() }
                j.string(r.name); firstName = false
            }
            j.closeArray()
        }
        j.close()
        if let errorCode {
            j.field("errorCode", errorCode)
            j.field("errorMessage", errorMessage ?? "")
        }
        j.close()
        return AuditEventRecord(
            accountId: caller.accountId, eventTime: time, eventId: id, eventName: spec.name, eventRW: eventRW,
            serviceName: spec.product.serviceName, accessKeyId: caller.accessKeyId, userName: userName,
            resourceTypes: types, resourceNames: resources.map(\.name),
            body: String(decoding: j.out, as: UTF8.self))
    }
}

/// Compact JSON written field by field (the escaping is `JSONWriter.writeString`'s).
struct EventJSON {
    var out: [UInt8]
    init() { out = [UInt8(ascii: "{")]; out.reserveCapacity(1024) }

    mutating func open() { out.append(UInt8(ascii: "{")) }
    mutating func close() { out.append(UInt8(ascii: "}")) }
    mutating func openArray() { out.append(UInt8(ascii: "[")) }
    mutating func closeArray() { out.append(UInt8(ascii: "]")) }
    mutating func comma() { out.append(UInt8(ascii: ",")) }
    mutating func colon() { out.append(UInt8(ascii: ":")) }
    /// `,"name":` (no comma after an opening brace).
    mutating func key(_ name: String, first: Bool = false) {
        if !first { comma() }
        string(name); colon()
    }
    mutating func field(_ name: String, _ value: String, first: Bool = false) {
        key(name, first: first); string(value)
    }

    mutating func string(_ s: String) { JSONWriter.writeString(s, into: &out) }
}
