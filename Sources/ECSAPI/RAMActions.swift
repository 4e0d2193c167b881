/// The RAM (2015-05-01) actions LocalECS serves, each declared once: users, their access keys,
/// custom and system policies, roles, and policy attachments to users and roles.
///
/// Parameters follow the official RAM SDK's request models (`alibabacloud-ram20150501`); RAM
/// actions and resource ARNs follow RAM's "RAM authorization" table
/// (`acs:ram:*:{account}:user/{UserName}`, `…:policy/{PolicyName}`; `user/*` and `policy/*` for
/// creation and listing). Name and value rules are the domain's (`RAMService`), so that the
/// documented RAM error codes (`InvalidParameter.UserName.InvalidChars`, …) come out instead of
/// the parser's generic ones. Access levels and condition keys follow the API pages' tables as
/// read 2026-11-30 (`docs/ram-table.md`): CreateRole declares two keys, ListRoles is `get`; the
/// pages read list no dependent action.
public enum RAMActions {
    static let userName = ParamSpec("UserName", required: true)
    static let policyName = ParamSpec("PolicyName", required: true)
    static let policyType = ParamSpec("PolicyType", required: true)
    static let maxItems = ParamSpec("MaxItems", .integer(1...1000))
    static let marker = ParamSpec("Marker")

    static let user: ResourceSpec = .ram(kind: "user", param: "UserName")
    static let anyUser: ResourceSpec = .ram(kind: "user", param: nil)
    static let policy: ResourceSpec = .ram(kind: "policy", param: "PolicyName")
    static let anyPolicy: ResourceSpec = .ram(kind: "policy", param: nil)
    static let roleName = ParamSpec("RoleName", required: true)
    static let role: ResourceSpec = .ram(kind: "role", param: "RoleName")
    static let anyRole: ResourceSpec = .ram(kind: "role", param: nil)

    // Users
    public static let createUser = ActionSpec("CreateUser", .ram, access: .create, resources: [anyUser], params: [
        userName, ParamSpec("DisplayName"), ParamSpec("MobilePhone"), ParamSpec("Email"), ParamSpec("Comments"),
    ])
    public static let getUser = ActionSpec("GetUser", .ram, access: .get, resources: [user], params: [userName])
    public static let listUsers = ActionSpec("ListUsers", .ram, access: .list, resources: [anyUser], params: [marker, maxItems])
    public static let deleteUser = ActionSpec("DeleteUser", .ram, access: .delete, resources: [user], params: [userName])
    // Access keys. Without UserName a RAM user acts on its own keys.
    public static let createAccessKey = ActionSpec("CreateAccessKey", .ram, access: .create, resources: [user], params: [ParamSpec("UserName")])
    public static let updateAccessKey = ActionSpec("UpdateAccessKey", .ram, access: .update, resources: [user], params: [
        ParamSpec("UserName"), ParamSpec("UserAccessKeyId", required: true), ParamSpec("Status", required: true),
    ])
    public static let listAccessKeys = ActionSpec("ListAccessKeys", .ram, access: .list, resources: [user], params: [ParamSpec("UserName")])
    public static let deleteAccessKey = ActionSpec("DeleteAccessKey", .ram, access: .delete, resources: [user], params: [
        ParamSpec("UserName"), ParamSpec("UserAccessKeyId", required: true),
    ])
    // Policies
    public static let createPolicy = ActionSpec("CreatePolicy", .ram, access: .create, resources: [anyPolicy], params: [
        policyName, ParamSpec("PolicyDocument", required: true), ParamSpec("Description"), ParamSpec("Tag"),
    ])
    public static let getPolicy = ActionSpec("GetPolicy", .ram, access: .get, resources: [policy], params: [policyName, policyType])
    public static let listPolicies = ActionSpec("ListPolicies", .ram, access: .list, resources: [anyPolicy], params: [
        ParamSpec("PolicyType"), marker, maxItems, ParamSpec("Tag"),
    ])
    public static let deletePolicy = ActionSpec("DeletePolicy", .ram, access: .delete, resources: [policy], params: [
        policyName, ParamSpec("CascadingDelete", .boolean),
    ])
    // Attachments
    public static let attachPolicyToUser = ActionSpec("AttachPolicyToUser", .ram, access: .update, resources: [policy, user], params: [
        policyType, policyName, userName, ParamSpec("ResourceGroupId"),
    ])
    public static let detachPolicyFromUser = ActionSpec("DetachPolicyFromUser", .ram, access: .update, resources: [policy, user], params: [
        policyType, policyName, userName, ParamSpec("ResourceGroupId"),
    ])
    public static let listPoliciesForUser = ActionSpec("ListPoliciesForUser", .ram, access: .list, resources: [user], params: [userName])
    // Roles (`acs:ram:*:{account}:role/{RoleName}`) and their policies.
    public static let createRole = ActionSpec("CreateRole", .ram, access: .create, resources: [anyRole],
                                              conditionKeys: ["ram:TrustedPrincipalTypes", "ram:ServiceNames"], params: [
        roleName, ParamSpec("AssumeRolePolicyDocument", required: true), ParamSpec("Description"),
        ParamSpec("MaxSessionDuration", .integer(3600...43200)),
    ])
    public static let getRole = ActionSpec("GetRole", .ram, access: .get, resources: [role], params: [roleName])
    public static let listRoles = ActionSpec("ListRoles", .ram, access: .get, resources: [anyRole], params: [marker, maxItems])
    public static let deleteRole = ActionSpec("DeleteRole", .ram, access: .delete, resources: [role], params: [roleName])
    public static let attachPolicyToRole = ActionSpec("AttachPolicyToRole", .ram, access: .update, resources: [policy, role], params: [
        policyType, policyName, roleName, ParamSpec("ResourceGroupId"),
    ])
    public static let detachPolicyFromRole = ActionSpec("DetachPolicyFromRole", .ram, access: .update, resources: [policy, role], params: [
        policyType, policyName, roleName, ParamSpec("ResourceGroupId"),
    ])
    public static let listPoliciesForRole = ActionSpec("ListPoliciesForRole", .ram, access: .list, resources: [role], params: [roleName])

    /// Every action above, in declaration order.
    public static let all: [ActionSpec] = [
        createUser,
        getUser,
        listUsers,
        deleteUser,
        createAccessKey,
        updateAccessKey,
        listAccessKeys,
        deleteAccessKey,
        createPolicy,
        getPolicy,
        listPolicies,
        deletePolicy,
        attachPolicyToUser,
        detachPolicyFromUser,
        listPoliciesForUser,
        createRole,
        getRole,
        listRoles,
        deleteRole,
        attachPolicyToRole,
        detachPolicyFromRole,
        listPoliciesForRole,
    ]
}
