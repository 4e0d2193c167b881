import ECSStore

/// The versioned migrations of the PostgreSQL store: the SQLite store's, entry for entry, in
/// PostgreSQL's dialect. A migration is never edited once released; a change is a new entry.
///
/// Dialect choices that keep the two backends' behaviour identical:
/// - every text column is `COLLATE "C"`, so ordering and `>` paging compare bytes as SQLite's
///   BINARY collation does, whatever the database's locale;
/// - times are BIGINT milliseconds, booleans INTEGER 0/1, as in SQLite;
/// - no foreign key on `access_keys.account_id`: SQLite declares one but does not enforce it
///   (`foreign_keys` is off), and enforcing it here would refuse writes SQLite accepts.
package enum PostgresSchema {
    /// `pg_advisory_lock` key held while migrating, so nodes starting together migrate one at a time.
    static let migrationLock: Int64 = 0x4C6F_6361_6C45_4353  // "LocalECS"

    package static let migrations: [String] = [
        // 1: accounts, access keys, key pairs, instances, nonces, idempotency tokens.
        """
        CREATE TABLE accounts (id TEXT COLLATE "C" PRIMARY KEY, created_at BIGINT NOT NULL);
        CREATE TABLE access_keys (
            id TEXT COLLATE "C" PRIMARY KEY, secret TEXT COLLATE "C" NOT NULL, account_id TEXT COLLATE "C" NOT NULL,
            user_name TEXT COLLATE "C", status TEXT COLLATE "C" NOT NULL, created_at BIGINT NOT NULL);
        CREATE INDEX access_keys_user ON access_keys(account_id, user_name);
        CREATE TABLE key_pairs (
            account_id TEXT COLLATE "C" NOT NULL, region_id TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL,
            id TEXT COLLATE "C" NOT NULL, fingerprint TEXT COLLATE "C" NOT NULL, public_key TEXT COLLATE "C" NOT NULL,
            resource_group_id TEXT COLLATE "C" NOT NULL, tags TEXT COLLATE "C" NOT NULL, created_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, region_id, name));
        CREATE INDEX key_pairs_order ON key_pairs(account_id, region_id, created_at, name);
        CREATE INDEX key_pairs_fingerprint ON key_pairs(account_id, region_id, fingerprint);
        CREATE TABLE instances (
            id TEXT COLLATE "C" PRIMARY KEY, account_id TEXT COLLATE "C" NOT NULL, region_id TEXT COLLATE "C" NOT NULL,
            zone_id TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL, host_name TEXT COLLATE "C" NOT NULL,
            description TEXT COLLATE "C" NOT NULL, image_id TEXT COLLATE "C" NOT NULL,
            instance_type TEXT COLLATE "C" NOT NULL, os_type TEXT COLLATE "C" NOT NULL,
            resource_group_id TEXT COLLATE "C" NOT NULL, phases TEXT COLLATE "C" NOT NULL,
            phase_started_at BIGINT NOT NULL, step_ms BIGINT NOT NULL, bound_key_pair TEXT COLLATE "C",
            effective_key_pair TEXT COLLATE "C", password_set INTEGER NOT NULL, password_login_effective INTEGER NOT NULL,
            tags TEXT COLLATE "C" NOT NULL, created_at BIGINT NOT NULL, started_at BIGINT NOT NULL,
            private_ip TEXT COLLATE "C" NOT NULL);
        CREATE INDEX instances_order ON instances(account_id, region_id, created_at, id);
        CREATE INDEX instances_key_pair ON instances(account_id, region_id, bound_key_pair);
        CREATE TABLE nonces (
            access_key_id TEXT COLLATE "C" NOT NULL, nonce TEXT COLLATE "C" NOT NULL, at BIGINT NOT NULL,
            PRIMARY KEY (access_key_id, nonce));
        CREATE INDEX nonces_at ON nonces(at);
        CREATE TABLE idempotency (
            account_id TEXT COLLATE "C" NOT NULL, action TEXT COLLATE "C" NOT NULL, token TEXT COLLATE "C" NOT NULL,
            digest TEXT COLLATE "C" NOT NULL, result TEXT COLLATE "C" NOT NULL, created_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, action, token));
        """,
        // 2: RAM users, custom policies and their attachments to users.
        """
        CREATE TABLE users (
            account_id TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL,
            display_name TEXT COLLATE "C" NOT NULL, email TEXT COLLATE "C" NOT NULL,
            mobile_phone TEXT COLLATE "C" NOT NULL, comments TEXT COLLATE "C" NOT NULL,
            created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, name));
        CREATE TABLE policies (
            account_id TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL, document TEXT COLLATE "C" NOT NULL,
            description TEXT COLLATE "C" NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, name));
        CREATE TABLE user_policies (
            account_id TEXT COLLATE "C" NOT NULL, user_name TEXT COLLATE "C" NOT NULL,
            policy_type TEXT COLLATE "C" NOT NULL, policy_name TEXT COLLATE "C" NOT NULL, attached_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, user_name, policy_type, policy_name));
        CREATE INDEX user_policies_policy ON user_policies(account_id, policy_type, policy_name);
        """,
        // 3: RAM roles, their policy attachments, and STS sessions (AssumeRole).
        """
        CREATE TABLE roles (
            account_id TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL,
            description TEXT COLLATE "C" NOT NULL, trust_policy TEXT COLLATE "C" NOT NULL,
            max_session_duration BIGINT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, name));
        CREATE TABLE role_policies (
            account_id TEXT COLLATE "C" NOT NULL, role_name TEXT COLLATE "C" NOT NULL,
            policy_type TEXT COLLATE "C" NOT NULL, policy_name TEXT COLLATE "C" NOT NULL, attached_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, role_name, policy_type, policy_name));
        CREATE INDEX role_policies_policy ON role_policies(account_id, policy_type, policy_name);
        CREATE TABLE sts_sessions (
            access_key_id TEXT COLLATE "C" PRIMARY KEY, secret TEXT COLLATE "C" NOT NULL, token TEXT COLLATE "C" NOT NULL,
            account_id TEXT COLLATE "C" NOT NULL, role_name TEXT COLLATE "C" NOT NULL, role_id TEXT COLLATE "C" NOT NULL,
            session_name TEXT COLLATE "C" NOT NULL, policy TEXT COLLATE "C",
            created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
        CREATE INDEX sts_sessions_expiry ON sts_sessions(expires_at);
        """,
        // 4: a nonce is kept until its request's timestamp leaves the window (SQLite's nonce
        //    migration 2); older rows recorded their arrival, and arrival + 31 minutes covers
        //    any timestamp the 15-minute window accepted then.
        """
        ALTER TABLE nonces RENAME COLUMN at TO expires_at;
        UPDATE nonces SET expires_at = expires_at + 31 * 60 * 1000;
        DROP INDEX nonces_at;
        CREATE INDEX nonces_expiry ON nonces(expires_at);
        """,
        // 5: idempotency digests without plaintext passwords (SQLite's migration 5).
        """
        UPDATE idempotency SET digest = 'redacted' WHERE digest NOT LIKE 'sha256:%';
        """,
        // 6: fault-injection rules (SQLite's migration 6).
        """
        CREATE TABLE fault_rules (
            id TEXT PRIMARY KEY, definition TEXT NOT NULL, created_at BIGINT NOT NULL,
            matched BIGINT NOT NULL DEFAULT 0, hits BIGINT NOT NULL DEFAULT 0);
        """,
        // 7: user data and the system disk (SQLite's migration 7).
        """
        ALTER TABLE instances ADD COLUMN user_data TEXT COLLATE "C";
        ALTER TABLE instances ADD COLUMN system_disk_category TEXT COLLATE "C" NOT NULL DEFAULT 'cloud_essd';
        ALTER TABLE instances ADD COLUMN system_disk_size BIGINT NOT NULL DEFAULT 40;
        """,
        // 8: SSH on every Linux instance (SQLite's migration 8).
        """
        ALTER TABLE instances ADD COLUMN ssh_slot BIGINT NOT NULL DEFAULT 0, ADD COLUMN password_hash TEXT COLLATE "C",
            ADD COLUMN effective_password_hash TEXT COLLATE "C", ADD COLUMN host_key TEXT COLLATE "C";
        UPDATE instances SET ssh_slot = s.n
            FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM instances) AS s WHERE s.id = instances.id;
        CREATE UNIQUE INDEX instances_ssh_slot ON instances(ssh_slot) WHERE ssh_slot > 0;
        """,
        // 9: the ActionTrail audit trail (SQLite's migration 9).
        """
        CREATE TABLE audit_events (
            account_id TEXT COLLATE "C" NOT NULL, event_time BIGINT NOT NULL, event_id TEXT COLLATE "C" NOT NULL,
            event_name TEXT COLLATE "C" NOT NULL, event_rw TEXT COLLATE "C" NOT NULL, service_name TEXT COLLATE "C" NOT NULL,
            access_key_id TEXT COLLATE "C" NOT NULL, user_name TEXT COLLATE "C" NOT NULL,
            resource_types TEXT COLLATE "C" NOT NULL, resource_names TEXT COLLATE "C" NOT NULL, body TEXT NOT NULL,
            PRIMARY KEY (account_id, event_time, event_id));
        """,
        // 10: VPCs and vSwitches (VPC API 2016-04-28, issue 12), and the instance's place in them.
        //     A private IP is unique within its vSwitch; instances made before are in none ('').
        """
        CREATE TABLE vpcs (
            id TEXT COLLATE "C" PRIMARY KEY, account_id TEXT COLLATE "C" NOT NULL, region_id TEXT COLLATE "C" NOT NULL,
            name TEXT COLLATE "C" NOT NULL, description TEXT COLLATE "C" NOT NULL, cidr_block TEXT COLLATE "C" NOT NULL,
            resource_group_id TEXT COLLATE "C" NOT NULL, tags TEXT COLLATE "C" NOT NULL,
            created_at BIGINT NOT NULL, available_at BIGINT NOT NULL);
        CREATE INDEX vpcs_order ON vpcs(account_id, region_id, created_at, id);
        CREATE TABLE vswitches (
            id TEXT COLLATE "C" PRIMARY KEY, account_id TEXT COLLATE "C" NOT NULL, region_id TEXT COLLATE "C" NOT NULL,
            vpc_id TEXT COLLATE "C" NOT NULL, zone_id TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL,
            description TEXT COLLATE "C" NOT NULL, cidr_block TEXT COLLATE "C" NOT NULL,
            resource_group_id TEXT COLLATE "C" NOT NULL, tags TEXT COLLATE "C" NOT NULL,
            created_at BIGINT NOT NULL, available_at BIGINT NOT NULL);
        CREATE INDEX vswitches_order ON vswitches(account_id, region_id, created_at, id);
        CREATE INDEX vswitches_vpc ON vswitches(vpc_id);
        ALTER TABLE instances ADD COLUMN vpc_id TEXT COLLATE "C" NOT NULL DEFAULT '';
        ALTER TABLE instances ADD COLUMN vswitch_id TEXT COLLATE "C" NOT NULL DEFAULT '';
        CREATE UNIQUE INDEX instances_vswitch_ip ON instances(vswitch_id, private_ip) WHERE vswitch_id <> '';
        CREATE INDEX instances_vpc ON instances(vpc_id) WHERE vpc_id <> '';
        """,
        // 11: security groups and the groups each instance is in (SQLite's migration 11).
        """
        CREATE TABLE security_groups (
            account_id TEXT COLLATE "C" NOT NULL, region_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" PRIMARY KEY,
            name TEXT COLLATE "C" NOT NULL, description TEXT NOT NULL, vpc_id TEXT COLLATE "C" NOT NULL,
            group_type TEXT COLLATE "C" NOT NULL, resource_group_id TEXT COLLATE "C" NOT NULL, tags TEXT NOT NULL,
            rules TEXT NOT NULL, created_at BIGINT NOT NULL);
        CREATE INDEX security_groups_by_account ON security_groups(account_id, region_id, created_at);
        CREATE INDEX security_groups_by_vpc ON security_groups(account_id, vpc_id);
        ALTER TABLE instances ADD COLUMN security_group_ids TEXT COLLATE "C" NOT NULL DEFAULT '';
        """,
        // 12: data disks made with an instance (issue 12, `DataDisk.N.*`): a JSON array in the
        //    instance's row, since they live and die with it; '' for none (every existing instance).
        """
        ALTER TABLE instances ADD COLUMN data_disks TEXT COLLATE "C" NOT NULL DEFAULT '';
        """,
    ]

    /// Applies pending migrations, each in its own transaction, under a session advisory lock:
    /// a node that starts while another migrates waits, then finds nothing left to do.
    static func migrate(_ db: PGConnection) throws {
        // However long another node's migration takes, wait for it (no lock_timeout here).
        try db.execute("SET lock_timeout = 0; SELECT pg_advisory_lock(\(migrationLock))")
        defer { _ = try? db.execute("SELECT pg_advisory_unlock(\(migrationLock)); \(PGConnection.sessionSettings)") }
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)")
        var current: Int64 = 0
        try db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations") { current = $0.int(0) }
        for (i, sql) in migrations.enumerated() where Int64(i + 1) > current {
            try db.execute("BEGIN")
            do {
                try db.execute(sql)
                try db.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, EXTRACT(EPOCH FROM now())::bigint)",
                             [.int(Int64(i + 1))])
                try db.execute("COMMIT")
            } catch {
                _ = try? db.execute("ROLLBACK")
                throw StoreError.backend("migration \(i + 1) failed: \(error)")
            }
        }
    }
}
