/// A result row of an SQL backend, read by column index.
public protocol SQLRow {
    func text(_ column: Int32) -> String
    func optionalText(_ column: Int32) -> String?
    func int(_ column: Int32) -> Int64
}

/// The column lists and row decoding both SQL backends share, so a record reads back the same
/// whichever wrote it. Each `SELECT` names the list, then decodes with the function of that name.
public enum RecordColumns {
    public static let faultRule = "id, definition, created_at, matched, hits"
    @inlinable public static func faultRule(_ r: some SQLRow) -> FaultRuleRecord {
        FaultRuleRecord(id: r.text(0), definition: r.text(1), createdAt: r.int(2), matched: r.int(3), hits: r.int(4))
    }

    public static let accessKey = "id, secret, account_id, user_name, status, created_at"
    @inlinable public static func accessKey(_ r: some SQLRow) -> AccessKeyRecord {
        AccessKeyRecord(id: r.text(0), secret: r.text(1), accountId: r.text(2), userName: r.optionalText(3),
                        status: AccessKeyRecord.Status(rawValue: r.text(4)) ?? .inactive, createdAt: r.int(5))
    }

    public static let keyPair = "account_id, region_id, name, id, fingerprint, public_key, resource_group_id, tags, created_at"
    @inlinable public static func keyPair(_ r: some SQLRow) -> KeyPairRecord {
        KeyPairRecord(accountId: r.text(0), regionId: r.text(1), name: r.text(2), id: r.text(3), fingerprint: r.text(4),
                      publicKey: r.text(5), resourceGroupId: r.text(6), tags: TagCodec.decode(r.text(7)), createdAt: r.int(8))
    }

    public static let instance = """
        account_id, region_id, zone_id, id, name, host_name, description, image_id, instance_type, os_type, \
        resource_group_id, phases, phase_started_at, step_ms, bound_key_pair, effective_key_pair, password_set, \
        password_login_effective, tags, created_at, started_at, private_ip, user_data, system_disk_category, system_disk_size, \
        ssh_slot, password_hash, effective_password_hash, host_key, vpc_id, vswitch_id, security_group_ids, data_disks
        """
    /// How many columns `instance` lists (the INSERTs' placeholders).
    public static let instanceColumnCount = 33
    @inlinable public static func instance(_ r: some SQLRow) -> InstanceRecord {
        InstanceRecord(accountId: r.text(0), regionId: r.text(1), zoneId: r.text(2), id: r.text(3), name: r.text(4),
                       hostName: r.text(5), description: r.text(6), imageId: r.text(7), instanceType: r.text(8),
                       osType: r.text(9), resourceGroupId: r.text(10), phases: r.text(11), phaseStartedAt: r.int(12),
                       stepMillis: r.int(13), boundKeyPair: r.optionalText(14), effectiveKeyPair: r.optionalText(15),
                       passwordSet: r.int(16) != 0, passwordLoginEffective: r.int(17) != 0,
                       tags: TagCodec.decode(r.text(18)), createdAt: r.int(19), startedAt: r.int(20), privateIp: r.text(21),
                       userData: r.optionalText(22), systemDiskCategory: r.text(23), systemDiskSize: Int(clamping: r.int(24)),
                       sshSlot: r.int(25), passwordHash: r.optionalText(26), effectivePasswordHash: r.optionalText(27),
                       hostKey: r.optionalText(28), vpcId: r.text(29), vSwitchId: r.text(30),
                       securityGroupIds: RuleCodec.ids(r.text(31)),
                       dataDisks: DataDiskCodec.decode(r.text(32)))
    }

    public static let vpc = "account_id, region_id, id, name, description, cidr_block, resource_group_id, tags, created_at, available_at"
    @inlinable public static func vpc(_ r: some SQLRow) -> VpcRecord {
        VpcRecord(accountId: r.text(0), regionId: r.text(1), id: r.text(2), name: r.text(3), description: r.text(4),
                  cidrBlock: r.text(5), resourceGroupId: r.text(6), tags: TagCodec.decode(r.text(7)), createdAt: r.int(8),
                  availableAt: r.int(9))
    }

    public static let vSwitch = """
        account_id, region_id, id, vpc_id, zone_id, name, description, cidr_block, resource_group_id, tags, created_at, available_at
        """
    @inlinable public static func vSwitch(_ r: some SQLRow) -> VSwitchRecord {
        VSwitchRecord(accountId: r.text(0), regionId: r.text(1), id: r.text(2), vpcId: r.text(3), zoneId: r.text(4), name: r.text(5),
                      description: r.text(6), cidrBlock: r.text(7), resourceGroupId: r.text(8), tags: TagCodec.decode(r.text(9)),
                      createdAt: r.int(10), availableAt: r.int(11))
    }

    public static let securityGroup = "account_id, region_id, id, name, description, vpc_id, group_type, resource_group_id, tags, rules, created_at"
    @inlinable public static func securityGroup(_ r: some SQLRow) -> SecurityGroupRecord {
        SecurityGroupRecord(accountId: r.text(0), regionId: r.text(1), id: r.text(2), name: r.text(3), description: r.text(4),
                            vpcId: r.text(5), groupType: r.text(6), resourceGroupId: r.text(7), tags: TagCodec.decode(r.text(8)),
                            rules: RuleCodec.decode(r.text(9)), createdAt: r.int(10))
    }

    public static let user = "account_id, name, id, display_name, email, mobile_phone, comments, created_at, updated_at"
    @inlinable public static func user(_ r: some SQLRow) -> UserRecord {
        UserRecord(accountId: r.text(0), name: r.text(1), id: r.text(2), displayName: r.text(3), email: r.text(4),
                   mobilePhone: r.text(5), comments: r.text(6), createdAt: r.int(7), updatedAt: r.int(8))
    }

    public static let policy = "account_id, name, document, description, created_at, updated_at"
    @inlinable public static func policy(_ r: some SQLRow) -> PolicyRecord {
        PolicyRecord(accountId: r.text(0), name: r.text(1), document: r.text(2), description: r.text(3),
                     createdAt: r.int(4), updatedAt: r.int(5))
    }

    public static let attachment = "account_id, user_name, policy_type, policy_name, attached_at"
    @inlinable public static func attachment(_ r: some SQLRow) -> PolicyAttachmentRecord {
        PolicyAttachmentRecord(accountId: r.text(0), userName: r.text(1), policyType: r.text(2), policyName: r.text(3),
                               attachedAt: r.int(4))
    }

    public static let role = "account_id, name, id, description, trust_policy, max_session_duration, created_at, updated_at"
    @inlinable public static func role(_ r: some SQLRow) -> RoleRecord {
        RoleRecord(accountId: r.text(0), name: r.text(1), id: r.text(2), description: r.text(3), trustPolicy: r.text(4),
                   maxSessionDuration: r.int(5), createdAt: r.int(6), updatedAt: r.int(7))
    }

    public static let roleAttachment = "account_id, role_name, policy_type, policy_name, attached_at"
    @inlinable public static func roleAttachment(_ r: some SQLRow) -> RolePolicyRecord {
        RolePolicyRecord(accountId: r.text(0), roleName: r.text(1), policyType: r.text(2), policyName: r.text(3),
                         attachedAt: r.int(4))
    }

    public static let stsSession = """
        access_key_id, secret, token, account_id, role_name, role_id, session_name, policy, created_at, expires_at
        """
    @inlinable public static func stsSession(_ r: some SQLRow) -> STSSessionRecord {
        STSSessionRecord(accessKeyId: r.text(0), secret: r.text(1), token: r.text(2), accountId: r.text(3), roleName: r.text(4),
                         roleId: r.text(5), sessionName: r.text(6), policy: r.optionalText(7), createdAt: r.int(8), expiresAt: r.int(9))
    }
}
