import ECSAPI
import ECSDomain
import ECSStore

/// The RAM (2015-05-01) actions: users, access keys, policies and attachments, shaped as the
/// official RAM SDK's response models expect (`User`, `Users.User[]`, `AccessKeys.AccessKey[]`,
/// `Policies.Policy[]`, dates as `2015-01-23T12:33:18Z`).
enum RAMHandlers {
    static let all: [ServedAction] = [
        ServedAction(RAMActions.createUser, ram(createUser)),
        ServedAction(RAMActions.getUser, ram(getUser)),
        ServedAction(RAMActions.listUsers, ram(listUsers)),
        ServedAction(RAMActions.deleteUser, ram(deleteUser)),
        ServedAction(RAMActions.createAccessKey, ram(createAccessKey)),
        ServedAction(RAMActions.updateAccessKey, ram(updateAccessKey)),
        ServedAction(RAMActions.listAccessKeys, ram(listAccessKeys)),
        ServedAction(RAMActions.deleteAccessKey, ram(deleteAccessKey)),
        ServedAction(RAMActions.createPolicy, ram(createPolicy)),
        ServedAction(RAMActions.getPolicy, ram(getPolicy)),
        ServedAction(RAMActions.listPolicies, ram(listPolicies)),
        ServedAction(RAMActions.deletePolicy, ram(deletePolicy)),
        ServedAction(RAMActions.attachPolicyToUser, ram(attach)),
        ServedAction(RAMActions.detachPolicyFromUser, ram(detach)),
        ServedAction(RAMActions.listPoliciesForUser, ram(listAttachedPolicies)),
        ServedAction(RAMActions.createRole, ram(createRole)),
        ServedAction(RAMActions.getRole, ram(getRole)),
        ServedAction(RAMActions.listRoles, ram(listRoles)),
        ServedAction(RAMActions.deleteRole, ram(deleteRole)),
        ServedAction(RAMActions.attachPolicyToRole, ram(attach)),
        ServedAction(RAMActions.detachPolicyFromRole, ram(detach)),
        ServedAction(RAMActions.listPoliciesForRole, ram(listAttachedPolicies)),
    ]

    /// Turns the domain's `RAMError`s into their wire form; anything else goes on as it is.
    static func ram(_ body: @escaping @Sendable (Call) async throws -> WireObject) -> ActionHandler {
        { call in
            do { return try await body(call) } catch let e as RAMError { throw e.ecsError }
        }
    }

    static func date(_ millis: Int64) -> WireValue { .string(ECSTime.seconds(millis)) }

    // MARK: Users

    static func user(_ u: UserRecord, full: Bool) -> WireObject {
        var o: WireObject = [
            "UserId": .string(u.id),
            "UserName": .string(u.name),
            "DisplayName": .string(u.displayName),
            "MobilePhone": .string(u.mobilePhone),
            "Email": .string(u.email),
            "Comments": .string(u.comments),
            "CreateDate": date(u.createdAt),
        ]
        if full { o.append("UpdateDate", date(u.updatedAt)) }
        return o
    }

    static func createUser(_ c: Call) async throws -> WireObject {
        let u = try await c.services.ram.createUser(
            account: c.caller.accountId, name: c.input.string("UserName")!, displayName: c.input.string("DisplayName"),
            mobilePhone: c.input.string("MobilePhone"), email: c.input.string("Email"), comments: c.input.string("Comments"))
        return ["User": .object(user(u, full: false))]
    }

    static func getUser(_ c: Call) async throws -> WireObject {
        let u = try await c.services.ram.user(account: c.caller.accountId, name: c.input.string("UserName")!)
        return ["User": .object(user(u, full: true))]
    }

    static func listUsers(_ c: Call) async throws -> WireObject {
        let page = try await c.services.ram.listUsers(account: c.caller.accountId, marker: c.input.string("Marker"),
                                                      maxItems: c.input.integer("MaxItems"))
        var o: WireObject = ["IsTruncated": .boolean(page.marker != nil)]
        if let marker = page.marker { o.append("Marker", .string(marker)) }
        o.append("Users", .list(item: "User", page.users.map { .object(user($0, full: true)) }))
        return o
    }

    static func deleteUser(_ c: Call) async throws -> WireObject {
        try await c.services.ram.deleteUser(account: c.caller.accountId, name: c.input.string("UserName")!)
        return [:]
    }

    // MARK: Access keys

    static func owner(_ c: Call) throws -> String {
        try RAMService.keyOwner(c.caller, userName: c.input.string("UserName"))
    }

    static func createAccessKey(_ c: Call) async throws -> WireObject {
        let key = try await c.services.ram.createAccessKey(account: c.caller.accountId, userName: try owner(c))
        return ["AccessKey": .object([
            "AccessKeyId": .string(key.id),
            "AccessKeySecret": .string(key.secret),
            "Status": .string(key.status.rawValue),
            "CreateDate": date(key.createdAt),
        ])]
    }

    static func updateAccessKey(_ c: Call) async throws -> WireObject {
        try await c.services.ram.updateAccessKey(account: c.caller.accountId, userName: try owner(c),
                                                 id: c.input.string("UserAccessKeyId")!, status: c.input.string("Status")!)
        return [:]
    }

    static func listAccessKeys(_ c: Call) async throws -> WireObject {
        let keys = try await c.services.ram.accessKeys(account: c.caller.accountId, userName: try owner(c))
        return ["AccessKeys": .list(item: "AccessKey", keys.map { k in
            .object(["AccessKeyId": .string(k.id), "Status": .string(k.status.rawValue), "CreateDate": date(k.createdAt)])
        })]
    }

    static func deleteAccessKey(_ c: Call) async throws -> WireObject {
        try await c.services.ram.deleteAccessKey(account: c.caller.accountId, userName: try owner(c),
                                                 id: c.input.string("UserAccessKeyId")!)
        return [:]
    }

    // MARK: Policies

    static func createPolicy(_ c: Call) async throws -> WireObject {
        let p = try await c.services.ram.createPolicy(account: c.caller.accountId, name: c.input.string("PolicyName")!,
                                                      document: c.input.string("PolicyDocument")!,
                                                      description: c.input.string("Description"))
        return ["Policy": .object([
            "PolicyName": .string(p.name),
            "PolicyType": .string(RAMService.custom),
            "Description": .string(p.description),
            "DefaultVersion": .string("v1"),
            "CreateDate": date(p.createdAt),
        ])]
    }

    static func getPolicy(_ c: Call) async throws -> WireObject {
        let p = try await c.services.ram.policy(account: c.caller.accountId, name: c.input.string("PolicyName")!,
                                                type: c.input.string("PolicyType")!)
        return [
            "Policy": .object([
                "PolicyName": .string(p.name),
                "PolicyType": .string(p.type),
                "Description": .string(p.description),
                "DefaultVersion": .string(p.defaultVersion),
                "PolicyDocument": .string(p.document),
                "CreateDate": date(p.createdAt),
                "UpdateDate": date(p.updatedAt),
                "AttachmentCount": .integer(p.attachmentCount),
            ]),
            "DefaultPolicyVersion": .object([
                "VersionId": .string(p.defaultVersion),
                "IsDefaultVersion": .boolean(true),
                "PolicyDocument": .string(p.document),
                "CreateDate": date(p.createdAt),
            ]),
        ]
    }

    static func listPolicies(_ c: Call) async throws -> WireObject {
        let page = try await c.services.ram.listPolicies(account: c.caller.accountId, type: c.input.string("PolicyType"),
                                                         marker: c.input.string("Marker"), maxItems: c.input.integer("MaxItems"))
        var o: WireObject = ["IsTruncated": .boolean(page.marker != nil)]
        if let marker = page.marker { o.append("Marker", .string(marker)) }
        o.append("Policies", .list(item: "Policy", page.policies.map { p in
            .object([
                "PolicyName": .string(p.name),
                "PolicyType": .string(p.type),
                "Description": .string(p.description),
                "DefaultVersion": .string(p.defaultVersion),
                "AttachmentCount": .integer(p.attachmentCount),
                "CreateDate": date(p.createdAt),
                "UpdateDate": date(p.updatedAt),
                "Tags": .list(item: "Tag", []),
            ])
        }))
        return o
    }

    static func deletePolicy(_ c: Call) async throws -> WireObject {
        try await c.services.ram.deletePolicy(account: c.caller.accountId, name: c.input.string("PolicyName")!,
                                              cascade: c.input.boolean("CascadingDelete") ?? false)
        return [:]
    }

    // MARK: Attachments

    /// Resource-group-scoped grants are not modelled: accepting one as account-wide would grant
    /// more than asked, so it is refused.
    static func checkScope(_ c: Call) throws {
        if c.input.string("ResourceGroupId") != nil {
            throw RAMError.unsupportedParameter(name: "ResourceGroupId",
                                                reason: "LocalECS attaches policies at account level only; omit ResourceGroupId.")
        }
    }

    /// The user or role a policy call names (the action declares UserName or RoleName, required).
    static func holder(_ c: Call) -> PolicyHolder {
        if let role = c.input.string("RoleName") { return .role(role) }
        return .user(c.input.string("UserName")!)
    }

    static func attach(_ c: Call) async throws -> WireObject {
        try checkScope(c)
        try await c.services.ram.attach(account: c.caller.accountId, to: holder(c),
                                        policyType: c.input.string("PolicyType")!, policyName: c.input.string("PolicyName")!)
        return [:]
    }

    static func detach(_ c: Call) async throws -> WireObject {
        try checkScope(c)
        try await c.services.ram.detach(account: c.caller.accountId, from: holder(c),
                                        policyType: c.input.string("PolicyType")!, policyName: c.input.string("PolicyName")!)
        return [:]
    }

    static func listAttachedPolicies(_ c: Call) async throws -> WireObject {
        let items = try await c.services.ram.policies(account: c.caller.accountId, of: holder(c))
        return ["Policies": .list(item: "Policy", items.map { p in
            .object([
                "PolicyName": .string(p.name),
                "PolicyType": .string(p.type),
                "Description": .string(p.description),
                "DefaultVersion": .string("v1"),
                "AttachDate": date(p.attachedAt),
            ])
        })]
    }

    // MARK: Roles

    static func role(_ r: RoleRecord, document: Bool, updated: Bool) -> WireObject {
        var o: WireObject = [
            "RoleId": .string(r.id),
            "RoleName": .string(r.name),
            "Arn": .string(RAMService.roleArn(account: r.accountId, name: r.name)),
            "Description": .string(r.description),
            "MaxSessionDuration": .integer(Int(r.maxSessionDuration)),
        ]
        if document { o.append("AssumeRolePolicyDocument", .string(r.trustPolicy)) }
        o.append("CreateDate", date(r.createdAt))
        if updated { o.append("UpdateDate", date(r.updatedAt)) }
        return o
    }

    static func createRole(_ c: Call) async throws -> WireObject {
        let r = try await c.services.ram.createRole(
            account: c.caller.accountId, name: c.input.string("RoleName")!, trustPolicy: c.input.string("AssumeRolePolicyDocument")!,
            description: c.input.string("Description"), maxSessionDuration: c.input.integer("MaxSessionDuration"))
        return ["Role": .object(role(r, document: true, updated: false))]
    }

    static func getRole(_ c: Call) async throws -> WireObject {
        let r = try await c.services.ram.role(account: c.caller.accountId, name: c.input.string("RoleName")!)
        return ["Role": .object(role(r, document: true, updated: true))]
    }

    static func listRoles(_ c: Call) async throws -> WireObject {
        let page = try await c.services.ram.listRoles(account: c.caller.accountId, marker: c.input.string("Marker"),
                                                      maxItems: c.input.integer("MaxItems"))
        var o: WireObject = ["IsTruncated": .boolean(page.marker != nil)]
        if let marker = page.marker { o.append("Marker", .string(marker)) }
        o.append("Roles", .list(item: "Role", page.roles.map { .object(role($0, document: false, updated: true)) }))
        return o
    }

    static func deleteRole(_ c: Call) async throws -> WireObject {
        try await c.services.ram.deleteRole(account: c.caller.accountId, name: c.input.string("RoleName")!)
        return [:]
    }
}
