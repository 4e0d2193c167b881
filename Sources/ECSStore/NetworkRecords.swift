/// A VPC as stored (VPC API 2016-04-28). Its status is not stored: it is `Pending` until
/// `availableAt` (ms) and `Available` from then on, whichever node reads it.
public struct VpcRecord: Sendable, Equatable {
    public var accountId: String
    public var regionId: String
    public var id: String
    public var name: String
    public var description: String
    public var cidrBlock: String
    public var resourceGroupId: String
    public var tags: [ResourceTag]
    public var createdAt: Int64
    public var availableAt: Int64

    public init(accountId: String, regionId: String, id: String, name: String, description: String, cidrBlock: String,
                resourceGroupId: String, tags: [ResourceTag], createdAt: Int64, availableAt: Int64) {
        self.accountId = accountId; self.regionId = regionId; self.id = id; self.name = name
        self.description = description; self.cidrBlock = cidrBlock; self.resourceGroupId = resourceGroupId
        self.tags = tags; self.createdAt = createdAt; self.availableAt = availableAt
    }
}

/// A vSwitch as stored: one zone, one block inside its VPC's. Status as `VpcRecord`'s.
public struct VSwitchRecord: Sendable, Equatable {
    public var accountId: String
    public var regionId: String
    public var id: String
    public var vpcId: String
    public var zoneId: String
    public var name: String
    public var description: String
    public var cidrBlock: String
    public var resourceGroupId: String
    public var tags: [ResourceTag]
    public var createdAt: Int64
    public var availableAt: Int64

    public init(accountId: String, regionId: String, id: String, vpcId: String, zoneId: String, name: String,
                description: String, cidrBlock: String, resourceGroupId: String, tags: [ResourceTag],
                createdAt: Int64, availableAt: Int64) {
        self.accountId = accountId; self.regionId = regionId; self.id = id; self.vpcId = vpcId; self.zoneId = zoneId
        self.name = name; self.description = description; self.cidrBlock = cidrBlock
        self.resourceGroupId = resourceGroupId; self.tags = tags; self.createdAt = createdAt; self.availableAt = availableAt
    }
}

/// What a VPC holds (DeleteVpc refuses while any is non-zero).
public struct VpcDependents: Sendable, Equatable {
    public var vSwitches: Int
    public var instances: Int
    public init(vSwitches: Int, instances: Int) { self.vSwitches = vSwitches; self.instances = instances }
}
