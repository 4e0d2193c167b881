import ECSStore

/// Security groups (their rules in the same row) and key pairs' tags.
extension SQLiteTransaction {
    static func bindings(_ g: SecurityGroupRecord) -> [SQLValue] {
        [.text(g.accountId), .text(g.regionId), .text(g.id), .text(g.name), .text(g.description), .text(g.vpcId),
         .text(g.groupType), .text(g.resourceGroupId), .text(TagCodec.encode(g.tags)), .text(RuleCodec.encode(g.rules)),
         .int(g.createdAt)]
    }

    func securityGroup(account: String, id: String) throws -> SecurityGroupRecord? {
        var out: SecurityGroupRecord?
        try db.query("SELECT \(RecordColumns.securityGroup) FROM security_groups WHERE id = ? AND account_id = ?",
                     [.text(id), .text(account)]) { out = RecordColumns.securityGroup($0) }
        return out
    }

    func securityGroups(account: String, region: String, query q: SecurityGroupQuery) throws -> [SecurityGroupRecord] {
        var sql = "SELECT \(RecordColumns.securityGroup) FROM security_groups WHERE account_id = ? AND region_id = ?"
        var args: [SQLValue] = [.text(account), .text(region)]
        if let ids = q.ids {
            if ids.isEmpty { return [] }
            sql += " AND id IN (" + Array(repeating: "?", count: ids.count).joined(separator: ",") + ")"
            args += ids.map(SQLValue.text)
        }
        if let v = q.vpcId { sql += " AND vpc_id = ?"; args.append(.text(v)) }
        if let v = q.groupType { sql += " AND group_type = ?"; args.append(.text(v)) }
        if let v = q.resourceGroupId { sql += " AND resource_group_id = ?"; args.append(.text(v)) }
        var out: [SecurityGroupRecord] = []
        try db.query(sql + " ORDER BY created_at, id", args) {
            let g = RecordColumns.securityGroup($0)
            if q.admits(g) { out.append(g) }
        }
        return out
    }

    func securityGroups(ids: [String]) throws -> [SecurityGroupRecord] {
        guard !ids.isEmpty else { return [] }
        var out: [SecurityGroupRecord] = []
        try db.query("SELECT \(RecordColumns.securityGroup) FROM security_groups WHERE id IN ("
                     + Array(repeating: "?", count: ids.count).joined(separator: ",") + ")", ids.map(SQLValue.text)) {
            out.append(RecordColumns.securityGroup($0))
        }
        return out
    }

    func securityGroupCount(account: String, region: String) throws -> Int {
        var n = 0
        try db.query("SELECT COUNT(*) FROM security_groups WHERE account_id = ? AND region_id = ?",
                     [.text(account), .text(region)]) { n = Int($0.int(0)) }
        return n
    }

    func securityGroupCount(account: String, vpcId: String) throws -> Int {
        var n = 0
        try db.query("SELECT COUNT(*) FROM security_groups WHERE account_id = ? AND vpc_id = ?",
                     [.text(account), .text(vpcId)]) { n = Int($0.int(0)) }
        return n
    }

    func instancesInSecurityGroup(account: String, id: String) throws -> Int {
        var n = 0
        try db.query("SELECT COUNT(*) FROM instances WHERE account_id = ? AND instr(',' || security_group_ids || ',', ?) > 0",
                     [.text(account), .text("," + id + ",")]) { n = Int($0.int(0)) }
        return n
    }

    func insertSecurityGroup(_ g: SecurityGroupRecord) throws {
        try db.query("INSERT INTO security_groups (\(RecordColumns.securityGroup)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     Self.bindings(g))
    }

    func updateSecurityGroup(_ g: SecurityGroupRecord) throws {
        try db.query("UPDATE security_groups SET name = ?, description = ?, tags = ?, rules = ? WHERE id = ? AND account_id = ?",
                     [.text(g.name), .text(g.description), .text(TagCodec.encode(g.tags)), .text(RuleCodec.encode(g.rules)),
                      .text(g.id), .text(g.accountId)])
    }

    func deleteSecurityGroup(account: String, id: String) throws {
        try db.query("DELETE FROM security_groups WHERE id = ? AND account_id = ?", [.text(id), .text(account)])
    }

    func updateKeyPairTags(account: String, region: String, name: String, tags: [ResourceTag]) throws {
        try db.query("UPDATE key_pairs SET tags = ? WHERE account_id = ? AND region_id = ? AND name = ?",
                     [.text(TagCodec.encode(tags)), .text(account), .text(region), .text(name)])
    }
}
