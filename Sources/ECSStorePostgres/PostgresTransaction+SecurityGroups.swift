import ECSStore

/// Security groups (their rules in the same row) and key pairs' tags: `SQLiteTransaction`'s statements.
extension PostgresTransaction {
    static func values(_ g: SecurityGroupRecord) -> [PGValue] {
        [.text(g.accountId), .text(g.regionId), .text(g.id), .text(g.name), .text(g.description), .text(g.vpcId),
         .text(g.groupType), .text(g.resourceGroupId), .text(TagCodec.encode(g.tags)), .text(RuleCodec.encode(g.rules)),
         .int(g.createdAt)]
    }

    func securityGroup(account: String, id: String) throws -> SecurityGroupRecord? {
        var out: SecurityGroupRecord?
        try run("SELECT \(RecordColumns.securityGroup) FROM security_groups WHERE id = $1 AND account_id = $2",
                [.text(id), .text(account)]) { out = RecordColumns.securityGroup($0) }
        return out
    }

    func securityGroups(account: String, region: String, query q: SecurityGroupQuery) throws -> [SecurityGroupRecord] {
        var args = SQLArguments()
        var sql = "SELECT \(RecordColumns.securityGroup) FROM security_groups WHERE account_id = \(args.add(.text(account)))"
            + " AND region_id = \(args.add(.text(region)))"
        if let ids = q.ids {
            if ids.isEmpty { return [] }
            sql += " AND id IN (" + ids.map { args.add(.text($0)) }.joined(separator: ",") + ")"
        }
        if let v = q.vpcId { sql += " AND vpc_id = \(args.add(.text(v)))" }
        if let v = q.groupType { sql += " AND group_type = \(args.add(.text(v)))" }
        if let v = q.resourceGroupId { sql += " AND resource_group_id = \(args.add(.text(v)))" }
        var out: [SecurityGroupRecord] = []
        try run(sql + " ORDER BY created_at, id", args.values) {
            let g = RecordColumns.securityGroup($0)
            if q.admits(g) { out.append(g) }
        }
        return out
    }

    func securityGroups(ids: [String]) throws -> [SecurityGroupRecord] {
        guard !ids.isEmpty else { return [] }
        var args = SQLArguments()
        let sql = "SELECT \(RecordColumns.securityGroup) FROM security_groups WHERE id IN ("
            + ids.map { args.add(.text($0)) }.joined(separator: ",") + ")"
        var out: [SecurityGroupRecord] = []
        try run(sql, args.values) { out.append(RecordColumns.securityGroup($0)) }
        return out
    }

    func securityGroupCount(account: String, region: String) throws -> Int {
        var n = 0
        try run("SELECT COUNT(*) FROM security_groups WHERE account_id = $1 AND region_id = $2",
                [.text(account), .text(region)]) { n = Int($0.int(0)) }
        return n
    }

    func securityGroupCount(account: String, vpcId: String) throws -> Int {
        var n = 0
        try run("SELECT COUNT(*) FROM security_groups WHERE account_id = $1 AND vpc_id = $2",
                [.text(account), .text(vpcId)]) { n = Int($0.int(0)) }
        return n
    }

    func instancesInSecurityGroup(account: String, id: String) throws -> Int {
        var n = 0
        try run("SELECT COUNT(*) FROM instances WHERE account_id = $1 AND strpos(',' || security_group_ids || ',', $2) > 0",
                [.text(account), .text("," + id + ",")]) { n = Int($0.int(0)) }
        return n
    }

    func insertSecurityGroup(_ g: SecurityGroupRecord) throws {
        try insert("INSERT INTO security_groups (\(RecordColumns.securityGroup)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                   Self.values(g), what: "security group \(g.id)")
    }

    func updateSecurityGroup(_ g: SecurityGroupRecord) throws {
        try run("UPDATE security_groups SET name = $1, description = $2, tags = $3, rules = $4 WHERE id = $5 AND account_id = $6",
                [.text(g.name), .text(g.description), .text(TagCodec.encode(g.tags)), .text(RuleCodec.encode(g.rules)),
                 .text(g.id), .text(g.accountId)])
    }

    func deleteSecurityGroup(account: String, id: String) throws {
        try run("DELETE FROM security_groups WHERE id = $1 AND account_id = $2", [.text(id), .text(account)])
    }

    func updateKeyPairTags(account: String, region: String, name: String, tags: [ResourceTag]) throws {
        try run("UPDATE key_pairs SET tags = $1 WHERE account_id = $2 AND region_id = $3 AND name = $4",
                [.text(TagCodec.encode(tags)), .text(account), .text(region), .text(name)])
    }
}
