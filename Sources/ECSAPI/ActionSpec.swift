/// The API products this server speaks, told apart by `Version`.
public enum Product: String, Sendable {
    case ecs = "2014-05-26"
    case ram = "2015-05-01"
    case sts = "2015-04-01"
    case actiontrail = "2020-07-06"
    case vpc = "2016-04-28"

    /// The RAM service prefix of the product's actions (`ecs:DetachKeyPair`).
    public var ramService: String {
        switch self {
        case .ecs: return "ecs"
        case .ram: return "ram"
        case .sts: return "sts"
        case .actiontrail: return "actiontrail"
        case .vpc: return "vpc"
        }
    }

    /// ActionTrail's `serviceName` for the product's events (`Ecs`, `Ram`, `Sts`, `Actiontrail`).
    public var serviceName: String {
        let s = ramService
        return s.prefix(1).uppercased() + s.dropFirst()
    }
}

/// How one request parameter travels on the wire and what it may hold.
public enum ParamKind: Sendable {
    /// A plain string; `maxLength` in characters.
    case string(maxLength: Int? = nil)
    /// A decimal integer with its ECS limits: outside `range` the request gets `error`
    /// (default: 400 `InvalidParameter` naming the parameter and the range), or, with
    /// `clamp`, the nearest bound (ECS clamps `PageSize`). Every integer parameter states its
    /// range, so no request value reaches arithmetic unbounded.
    case integer(ClosedRange<Int>, clamp: Bool = false, error: ECSError? = nil)
    /// `true`/`false`, case-insensitively (`True` from the Python SDKs, `true` from Go).
    case boolean
    /// A single parameter holding a JSON array of non-empty strings (`InstanceIds=["i-a","i-b"]`).
    /// `invalid` is raised for anything else, `tooMany` beyond `max` distinct items.
    case jsonStringArray(max: Int?, invalid: ECSError, tooMany: ECSError?)
    /// `Tag.N.Key` / `Tag.N.Value`, N from 1.
    case tags
    /// `Name.N`, N from 1, at most `max` items.
    case repeatList(max: Int)
    /// `Name.N.Field`, N from 1 to `max`: a list of records (`Permissions.N.IpProtocol`), each
    /// holding the declared fields it was given, in N order. Other fields are ignored.
    case records(fields: [String], max: Int)
}

/// One declared parameter of an action.
public struct ParamSpec: Sendable {
    public let name: String
    public let kind: ParamKind
    public let required: Bool
    /// A list that must hold at least one item (an empty JSON array is the kind's `invalid` error).
    public let nonEmpty: Bool

    public init(_ name: String, _ kind: ParamKind = .string(), required: Bool = false, nonEmpty: Bool = false) {
        self.name = name
        self.kind = kind
        self.required = required
        self.nonEmpty = nonEmpty
    }
}

/// Which RAM resource ARNs an action needs, derived from its input.
/// `{region}` and `{account}` are filled in by the authorizer.
public enum ResourceSpec: Sendable {
    /// No resource-level control: the policy must allow `*`.
    case all
    /// `keypair/{value of param}`, or `keypair/*` when the parameter is absent.
    case keyPair(param: String)
    /// `keypair/{each name}` of a list parameter.
    case keyPairs(param: String)
    /// `keypair/*` (create and import).
    case anyKeyPair
    /// `instance/{value of param}`.
    case instance(param: String)
    /// `instance/{each id}` of a list parameter, or `instance/*` when absent.
    case instances(param: String)
    /// `instance/*`.
    case anyInstance
    /// `securitygroup/{value of param}`, or `securitygroup/*` when the parameter is absent.
    case securityGroup(param: String)
    /// `securitygroup/{each id}` of a list parameter (`SecurityGroupIds.N`), plus `param` single.
    case securityGroups(single: String, list: String)
    /// `securitygroup/*` (create).
    case anySecurityGroup
    /// TagResources and friends: `{type}/{each id}` where `type` is the value of `typeParam`
    /// (`instance`, `keypair`, `securitygroup`) and the IDs those of the list `idsParam`.
    case tagged(typeParam: String, idsParam: String)
    /// A RAM resource such as `acs:ram:*:{account}:user/{name}`; `param` nil means `*`.
    case ram(kind: String, param: String?)
    /// The ARN a parameter carries, as it is (`RoleArn` of STS AssumeRole).
    case arn(param: String)
    /// A VPC API resource, `acs:vpc:{region}:{account}:{kind}/{value of param}` (`vpc`, `vswitch`);
    /// `param` nil (or absent from the request) means `{kind}/*`.
    case network(kind: String, param: String?)
    /// VPC API tag actions: `acs:vpc:{region}:{account}:{vpc|vswitch}/{id}` for each ID of the
    /// list `idsParam`, the kind from `typeParam` (`VPC`, `VSWITCH`); `…/*` when the list is absent.
    case taggedNetworks(idsParam: String, typeParam: String)
}

/// RAM access levels, as the API pages list them.
public enum AccessLevel: String, Sendable { case create, list, get, update, delete }

/// An API action declared once: wire name, parameters, RAM action and resources.
///
/// The server parses every request generically against this declaration and authorizes it
/// from the same declaration, so a new action cannot forget either.
public struct ActionSpec: Sendable {
    public let name: String
    public let product: Product
    public let params: [ParamSpec]
    public let accessLevel: AccessLevel
    public let resources: [ResourceSpec]
    /// Service condition keys the API page's RAM table lists (`ecs:tag`); none for most actions.
    public let conditionKeys: [String]
    /// Actions the caller must also be allowed (the RAM table's "Dependent action" column).
    public let dependentActions: [String]

    public init(_ name: String, _ product: Product = .ecs, access: AccessLevel,
                resources: [ResourceSpec], conditionKeys: [String] = [], dependentActions: [String] = [],
                params: [ParamSpec]) {
        self.name = name
        self.product = product
        self.params = params
        self.accessLevel = access
        self.resources = resources
        self.conditionKeys = conditionKeys
        self.dependentActions = dependentActions
    }

    /// ActionTrail's `eventRW`: list and get actions read, the rest write.
    public var readOnly: Bool { accessLevel == .list || accessLevel == .get }

    /// `ecs:DetachKeyPair`.
    public var ramAction: String { product.ramService + ":" + name }
}
