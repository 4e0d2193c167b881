import ECSAPI
import ECSDomain
import ECSStore

/// What the request path captures of one call for the audit trail: cheap copies only. The event's
/// JSON is built when the recorder flushes, off the request path.
struct AuditDraft: Sendable {
    let eventId: String
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
    static func isSecret(_ name: String) -> Bool {
        let last = name.lastIndex(of: ".").map { name[name.index(after: $0)...] } ?? name[...]
        return last.contains("Password") || last.contains("Secret") || last == "SecurityToken"
            || last == "PrivateKeyBody" || last == "Signature"
    }

    /// Signature plumbing that says nothing about the call.
    static let plumbing: Set<String> = ["AccessKeyId", "SignatureNonce", "SignatureMethod", "SignatureVersion",
                                        "SignatureType", "Timestamp", "Format", "Version", "Action"]

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
        func add(_ type: String, _ names: [String]) { for n in names where !n.contains("\n") && !n.isEmpty { out.append((type, n)) } }
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
    func record(userId: String?) -> AuditEventRecord {
        var identity: WireObject = [:]
        switch (caller.userName, caller.session) {
        case (let u?, _):
            identity.append("type", .string("ram-user")); identity.append("principalId", .string(userId ?? u))
        case (nil, let s?):
            identity.append("type", .string("assumed-role")); identity.append("principalId", .string(s.roleId + ":" + s.sessionName))
        case (nil, nil):
            identity.append("type", .string("root-account")); identity.append("principalId", .string(caller.accountId))
        }
        identity.append("accountId", .string(caller.accountId))
        identity.append("accessKeyId", .string(caller.accessKeyId))
        identity.append("userName", .string(userName))

        var parameters = WireObject()
        for (name, value) in params where !Self.plumbing.contains(name) {
            parameters.append(name, .string(Self.isSecret(name) ? "******" : value))
        }
        var referenced = WireObject()
        for type in Set(resources.map(\.type)).sorted() {
            referenced.append(type, .array(resources.filter { $0.type == type }.map { WireValue.string($0.name) }))
        }
        let region = self.region ?? input?.string("RegionId") ?? params.last(where: { $0.name == "RegionId" })?.value ?? ""
        var event: WireObject = [
            "eventId": .string(eventId),
            "eventVersion": .string("1"),
            "eventTime": .string(ECSTime.seconds(time)),
            "eventName": .string(spec.name),
            "eventType": .string("ApiCall"),
            "eventRW": .string(eventRW),
            "eventSource": .string(host),
            "serviceName": .string(spec.product.serviceName),
            "apiVersion": .string(spec.product.rawValue),
            "acsRegion": .string(region),
            "requestId": .string(requestId),
            "sourceIpAddress": .string(sourceIp ?? ""),
            "userAgent": .string(userAgent ?? ""),
            "userIdentity": .object(identity),
            "requestParameters": .object(parameters),
            "referencedResources": .object(referenced),
        ]
        if let errorCode {
            event.append("errorCode", .string(errorCode))
            event.append("errorMessage", .string(errorMessage ?? ""))
        }
        return AuditEventRecord(
            accountId: caller.accountId, eventTime: time, eventId: eventId, eventName: spec.name, eventRW: eventRW,
            serviceName: spec.product.serviceName, accessKeyId: caller.accessKeyId, userName: userName,
            resourceTypes: Array(Set(resources.map(\.type))).sorted(), resourceNames: resources.map(\.name),
            body: String(decoding: JSONWriter.write(event), as: UTF8.self))
    }
}
