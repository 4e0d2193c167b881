/// An action's "RAM authorization" table, as the API pages print it (Action, Access level,
/// Resource type with its ARN template, Condition key, Dependent action), derived from the
/// action's declaration: the same `ResourceSpec`s the authorizer turns into ARNs.
public struct RAMTable: Sendable, Equatable {
    public struct ResourceType: Sendable, Equatable {
        /// `Instance`, `KeyPair`, `All Resources`.
        public let name: String
        /// `acs:ecs:{#regionId}:{#accountId}:instance/{#instanceId}`, `*` for all resources.
        public let arn: String
        /// Starred on the API page: the policy must allow this resource for the call to pass.
        public let required: Bool
    }

    public let action: String
    public let accessLevel: String
    public let resourceTypes: [ResourceType]
    public let conditionKeys: [String]
    public let dependentActions: [String]

    public init(_ spec: ActionSpec) {
        action = spec.ramAction
        accessLevel = spec.accessLevel.rawValue
        var seen = Set<String>()
        // The pages list resource types alphabetically (DetachKeyPair: Instance, then KeyPair).
        resourceTypes = spec.resources.flatMap(Self.resourceTypes).filter { seen.insert($0.name).inserted }
            .sorted { $0.name < $1.name }
        conditionKeys = spec.conditionKeys
        dependentActions = spec.dependentActions
    }

    static let securityGroupType = ResourceType(name: "SecurityGroup", arn: "acs:ecs:{#regionId}:{#accountId}:securitygroup/{#securitygroupId}", required: true)

    static func resourceTypes(_ r: ResourceSpec) -> [ResourceType] {
        switch r {
        case .securityGroup, .anySecurityGroup:
            return [securityGroupType]
        case .securityGroups:
            return [ResourceType(name: "SecurityGroup", arn: securityGroupType.arn, required: false)]
        case .tagged:
            return [resourceType(.instance(param: "")), resourceType(.keyPair(param: "")), securityGroupType]
        default:
            return [resourceType(r)]
        }
    }

    static func resourceType(_ r: ResourceSpec) -> ResourceType {
        switch r {
        case .securityGroup, .anySecurityGroup, .securityGroups, .tagged:
            return securityGroupType
        case .all:
            return ResourceType(name: "All Resources", arn: "*", required: false)
        case .keyPair, .keyPairs, .anyKeyPair:
            return ResourceType(name: "KeyPair", arn: "acs:ecs:{#regionId}:{#accountId}:keypair/{#keypairName}", required: true)
        case .instance, .instances, .anyInstance:
            return ResourceType(name: "Instance", arn: "acs:ecs:{#regionId}:{#accountId}:instance/{#instanceId}", required: true)
        case .ram(let kind, _):
            let name = kind.prefix(1).uppercased() + kind.dropFirst()
            return ResourceType(name: name, arn: "acs:ram::{#accountId}:\(kind)/{#\(kind)Name}", required: true)
        case .arn:
            // Only STS AssumeRole names a resource by a full ARN parameter: the role.
            return ResourceType(name: "Role", arn: "acs:ram::{#accountId}:role/{#roleName}", required: true)
        case .taggedNetworks:
            return ResourceType(name: "VPC", arn: "acs:vpc:{#regionId}:{#accountId}:vpc/{#VpcId}", required: false)
        case .network(let kind, _):
            let name = kind == "vpc" ? "VPC" : "VSwitch"
            return ResourceType(name: name, arn: "acs:vpc:{#regionId}:{#accountId}:\(kind)/{#\(name)Id}", required: true)
        }
    }

    /// The table as text: one resource type, condition key and dependent action per line (the
    /// pages list each on its own line), `None` for an empty column, as the pages print.
    public func text() -> String {
        let types = resourceTypes.isEmpty ? [ResourceType(name: "All Resources", arn: "*", required: false)] : resourceTypes
        let typeCells = types.map { ($0.required ? "*" : "") + $0.name + "  " + $0.arn }
        let conditions = conditionKeys.isEmpty ? ["None"] : conditionKeys
        let dependents = dependentActions.isEmpty ? ["None"] : dependentActions
        let header = ["Action", "Access level", "Resource type", "Condition key", "Dependent action"]
        func item(_ column: [String], _ i: Int) -> String { i < column.count ? column[i] : "" }
        var rows: [[String]] = []
        for i in 0..<max(typeCells.count, conditions.count, dependents.count) {
            rows.append([i == 0 ? action : "", i == 0 ? accessLevel : "", item(typeCells, i), item(conditions, i), item(dependents, i)])
        }
        let widths = (0..<header.count).map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (c, cell) in cells.enumerated() {
                out += c == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count + 2)
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// `{"Action","AccessLevel","ResourceTypes":[{"Name","ARN","Required"}],"ConditionKeys","DependentActions"}`.
    public var wire: WireValue {
        .object([
            "Action": .string(action),
            "AccessLevel": .string(accessLevel),
            "ResourceTypes": .array(resourceTypes.map {
                .object(["Name": .string($0.name), "ARN": .string($0.arn), "Required": .boolean($0.required)])
            }),
            "ConditionKeys": .array(conditionKeys.map(WireValue.string)),
            "DependentActions": .array(dependentActions.map(WireValue.string)),
        ])
    }
}
