import ECSStore

/// VPCs and vSwitches. Writers of one account's networks in a region serialize on an advisory
/// lock (`lockNetworks`): at READ COMMITTED two CreateVSwitch calls could otherwise both find
/// no overlap, or a DeleteVSwitch and a RunInstances into it both find the other absent.
/// A private IP taken twice meets the unique index (vswitch_id, private_ip) and the store runs
/// the body again.
extension PostgresTransaction {
    /// Namespace of the two-key advisory locks on an account's networks in a region.
    static let networkLockClass: Int64 = 0x4543_5305

    func vpc(account: String, region: String, id: String) throws -> VpcRecord? {
        var out: VpcRecord?
        try run("SELECT \(RecordColumns.vpc) FROM vpcs WHERE id = $1 AND account_id = $2 AND region_id = $3",
                [.text(id), .text(account), .text(region)]) { out = RecordColumns.vpc($0) }
        return out
    }

    func vpcs(account: String, region: String) throws -> [VpcRecord] {
        var out: [VpcRecord] = []
        try run("SELECT \(RecordColumns.vpc) FROM vpcs WHERE account_id = $1 AND region_id = $2 ORDER BY created_at, id",
                [.text(account), .text(region)]) { out.append(RecordColumns.vpc($0)) }
        return out
    }

    func vSwitch(account: String, region: String, id: String) throws -> VSwitchRecord? {
        var out: VSwitchRecord?
        try run("SELECT \(RecordColumns.vSwitch) FROM vswitches WHERE id = $1 AND account_id = $2 AND region_id = $3",
                [.text(id), .text(account), .text(region)]) { out = RecordColumns.vSwitch($0) }
        return out
    }

    func vSwitches(account: String, region: String) throws -> [VSwitchRecord] {
        var out: [VSwitchRecord] = []
        try run("SELECT \(RecordColumns.vSwitch) FROM vswitches WHERE account_id = $1 AND region_id = $2 ORDER BY created_at, id",
                [.text(account), .text(region)]) { out.append(RecordColumns.vSwitch($0)) }
        return out
    }

    func vpcDependents(account: String, vpcId: String) throws -> VpcDependents {
        var d = VpcDependents(vSwitches: 0, instances: 0)
        try run("SELECT COUNT(*) FROM vswitches WHERE vpc_id = $1 AND account_id = $2", [.text(vpcId), .text(account)]) {
            d.vSwitches = Int($0.int(0))
        }
        try run("SELECT COUNT(*) FROM instances WHERE vpc_id = $1 AND account_id = $2", [.text(vpcId), .text(account)]) {
            d.instances = Int($0.int(0))
        }
        return d
    }

    func vSwitchAddresses(account: String, vSwitchId: String) throws -> [String] {
        var out: [String] = []
        try run("SELECT private_ip FROM instances WHERE vswitch_id = $1 AND account_id = $2", [.text(vSwitchId), .text(account)]) {
            out.append($0.text(0))
        }
        return out
    }

    func lockNetworks(account: String, region: String) throws {
        try run("SELECT pg_advisory_xact_lock($1::int4, hashtext($2))", [.int(Self.networkLockClass), .text(account + "/" + region)])
    }

    func insertVpc(_ v: VpcRecord) throws {
        try insert("INSERT INTO vpcs (\(RecordColumns.vpc)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", [
            .text(v.accountId), .text(v.regionId), .text(v.id), .text(v.name), .text(v.description), .text(v.cidrBlock),
            .text(v.resourceGroupId), .text(TagCodec.encode(v.tags)), .int(v.createdAt), .int(v.availableAt),
        ], what: "VPC \(v.id)")
    }

    func updateVpc(_ v: VpcRecord) throws {
        try run("UPDATE vpcs SET name = $1, description = $2, tags = $3 WHERE id = $4 AND account_id = $5",
                [.text(v.name), .text(v.description), .text(TagCodec.encode(v.tags)), .text(v.id), .text(v.accountId)])
    }

    func deleteVpc(account: String, id: String) throws {
        try run("DELETE FROM vpcs WHERE id = $1 AND account_id = $2", [.text(id), .text(account)])
    }

    func insertVSwitch(_ v: VSwitchRecord) throws {
        try insert("INSERT INTO vswitches (\(RecordColumns.vSwitch)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)", [
            .text(v.accountId), .text(v.regionId), .text(v.id), .text(v.vpcId), .text(v.zoneId), .text(v.name), .text(v.description),
            .text(v.cidrBlock), .text(v.resourceGroupId), .text(TagCodec.encode(v.tags)), .int(v.createdAt), .int(v.availableAt),
        ], what: "vSwitch \(v.id)")
    }

    func updateVSwitch(_ v: VSwitchRecord) throws {
        try run("UPDATE vswitches SET name = $1, description = $2, tags = $3 WHERE id = $4 AND account_id = $5",
                [.text(v.name), .text(v.description), .text(TagCodec.encode(v.tags)), .text(v.id), .text(v.accountId)])
    }

    func deleteVSwitch(account: String, id: String) throws {
        try run("DELETE FROM vswitches WHERE id = $1 AND account_id = $2", [.text(id), .text(account)])
    }
}
