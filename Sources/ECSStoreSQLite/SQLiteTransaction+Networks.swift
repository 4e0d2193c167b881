import ECSStore

/// VPCs and vSwitches. SQLite runs one writer at a time, so `lockNetworks` has nothing to do.
extension SQLiteTransaction {
    static func bindings(_ v: VpcRecord) -> [SQLValue] {
        [.text(v.accountId), .text(v.regionId), .text(v.id), .text(v.name), .text(v.description), .text(v.cidrBlock),
         .text(v.resourceGroupId), .text(TagCodec.encode(v.tags)), .int(v.createdAt), .int(v.availableAt)]
    }

    static func bindings(_ v: VSwitchRecord) -> [SQLValue] {
        [.text(v.accountId), .text(v.regionId), .text(v.id), .text(v.vpcId), .text(v.zoneId), .text(v.name), .text(v.description),
         .text(v.cidrBlock), .text(v.resourceGroupId), .text(TagCodec.encode(v.tags)), .int(v.createdAt), .int(v.availableAt)]
    }

    func vpc(account: String, region: String, id: String) throws -> VpcRecord? {
        var out: VpcRecord?
        try db.query("SELECT \(RecordColumns.vpc) FROM vpcs WHERE id = ? AND account_id = ? AND region_id = ?",
                     [.text(id), .text(account), .text(region)]) { out = RecordColumns.vpc($0) }
        return out
    }

    func vpcs(account: String, region: String) throws -> [VpcRecord] {
        var out: [VpcRecord] = []
        try db.query("SELECT \(RecordColumns.vpc) FROM vpcs WHERE account_id = ? AND region_id = ? ORDER BY created_at, id",
                     [.text(account), .text(region)]) { out.append(RecordColumns.vpc($0)) }
        return out
    }

    func vSwitch(account: String, region: String, id: String) throws -> VSwitchRecord? {
        var out: VSwitchRecord?
        try db.query("SELECT \(RecordColumns.vSwitch) FROM vswitches WHERE id = ? AND account_id = ? AND region_id = ?",
                     [.text(id), .text(account), .text(region)]) { out = RecordColumns.vSwitch($0) }
        return out
    }

    func vSwitches(account: String, region: String) throws -> [VSwitchRecord] {
        var out: [VSwitchRecord] = []
        try db.query("SELECT \(RecordColumns.vSwitch) FROM vswitches WHERE account_id = ? AND region_id = ? ORDER BY created_at, id",
                     [.text(account), .text(region)]) { out.append(RecordColumns.vSwitch($0)) }
        return out
    }

    func vpcDependents(account: String, vpcId: String) throws -> VpcDependents {
        var d = VpcDependents(vSwitches: 0, instances: 0)
        try db.query("SELECT COUNT(*) FROM vswitches WHERE vpc_id = ? AND account_id = ?", [.text(vpcId), .text(account)]) {
            d.vSwitches = Int($0.int(0))
        }
        try db.query("SELECT COUNT(*) FROM instances WHERE vpc_id = ? AND account_id = ?", [.text(vpcId), .text(account)]) {
            d.instances = Int($0.int(0))
        }
        return d
    }

    func vSwitchAddresses(account: String, vSwitchId: String) throws -> [String] {
        var out: [String] = []
        try db.query("SELECT private_ip FROM instances WHERE vswitch_id = ? AND account_id = ?", [.text(vSwitchId), .text(account)]) {
            out.append($0.text(0))
        }
        return out
    }

    func lockNetworks(account: String, region: String) throws {}

    func insertVpc(_ v: VpcRecord) throws {
        try db.query("INSERT INTO vpcs (\(RecordColumns.vpc)) VALUES (?,?,?,?,?,?,?,?,?,?)", Self.bindings(v))
    }

    func updateVpc(_ v: VpcRecord) throws {
        try db.query("UPDATE vpcs SET name = ?, description = ?, tags = ? WHERE id = ? AND account_id = ?",
                     [.text(v.name), .text(v.description), .text(TagCodec.encode(v.tags)), .text(v.id), .text(v.accountId)])
    }

    func deleteVpc(account: String, id: String) throws {
        try db.query("DELETE FROM vpcs WHERE id = ? AND account_id = ?", [.text(id), .text(account)])
    }

    func insertVSwitch(_ v: VSwitchRecord) throws {
        try db.query("INSERT INTO vswitches (\(RecordColumns.vSwitch)) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", Self.bindings(v))
    }

    func updateVSwitch(_ v: VSwitchRecord) throws {
        try db.query("UPDATE vswitches SET name = ?, description = ?, tags = ? WHERE id = ? AND account_id = ?",
                     [.text(v.name), .text(v.description), .text(TagCodec.encode(v.tags)), .text(v.id), .text(v.accountId)])
    }

    func deleteVSwitch(account: String, id: String) throws {
        try db.query("DELETE FROM vswitches WHERE id = ? AND account_id = ?", [.text(id), .text(account)])
    }
}
