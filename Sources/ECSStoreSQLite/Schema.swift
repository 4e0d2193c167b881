/// The versioned migrations of the SQLite store. A migration is never edited once released:
/// a change is a new entry, applied in order at start-up inside one transaction each.
package enum SQLiteSchema {
    package static let migrations: [String] = [
        // 1: accounts, access keys, key pairs, instances, nonces, idempotency tokens.
        """
        CREATE TABLE accounts (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
        CREATE TABLE access_keys (
            id TEXT PRIMARY KEY, secret TEXT NOT NULL, account_id TEXT NOT NULL REFERENCES accounts(id),
            user_name TEXT, status TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE INDEX access_keys_user ON access_keys(account_id, user_name);
        CREATE TABLE key_pairs (
            account_id TEXT NOT NULL, region_id TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,
            fingerprint TEXT NOT NULL, public_key TEXT NOT NULL, resource_group_id TEXT NOT NULL,
            tags TEXT NOT NULL, created_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, region_id, name)) WITHOUT ROWID;
        CREATE INDEX key_pairs_order ON key_pairs(account_id, region_id, created_at, name);
        CREATE INDEX key_pairs_fingerprint ON key_pairs(account_id, region_id, fingerprint);
        CREATE TABLE instances (
            id TEXT PRIMARY KEY, account_id TEXT NOT NULL, region_id TEXT NOT NULL, zone_id TEXT NOT NULL,
            name TEXT NOT NULL, host_name TEXT NOT NULL, description TEXT NOT NULL, image_id TEXT NOT NULL,
            instance_type TEXT NOT NULL, os_type TEXT NOT NULL, resource_group_id TEXT NOT NULL,
            phases TEXT NOT NULL, phase_started_at INTEGER NOT NULL, step_ms INTEGER NOT NULL,
            bound_key_pair TEXT, effective_key_pair TEXT, password_set INTEGER NOT NULL,
            password_login_effective INTEGER NOT NULL, tags TEXT NOT NULL, created_at INTEGER NOT NULL,
            started_at INTEGER NOT NULL, private_ip TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX instances_order ON instances(account_id, region_id, created_at, id);
        CREATE INDEX instances_key_pair ON instances(account_id, region_id, bound_key_pair);
        CREATE TABLE nonces (
            access_key_id TEXT NOT NULL, nonce TEXT NOT NULL, at INTEGER NOT NULL,
            PRIMARY KEY (access_key_id, nonce)) WITHOUT ROWID;
        CREATE INDEX nonces_at ON nonces(at);
        CREATE TABLE idempotency (
            account_id TEXT NOT NULL, action TEXT NOT NULL, token TEXT NOT NULL, digest TEXT NOT NULL,
            result TEXT NOT NULL, created_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, action, token)) WITHOUT ROWID;
        """,
        // 2: RAM users, custom policies and their attachments to users.
        """
        CREATE TABLE users (
            account_id TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL, display_name TEXT NOT NULL,
            email TEXT NOT NULL, mobile_phone TEXT NOT NULL, comments TEXT NOT NULL,
            created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, name)) WITHOUT ROWID;
        CREATE TABLE policies (
            account_id TEXT NOT NULL, name TEXT NOT NULL, document TEXT NOT NULL, description TEXT NOT NULL,
            created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, name)) WITHOUT ROWID;
        CREATE TABLE user_policies (
            account_id TEXT NOT NULL, user_name TEXT NOT NULL, policy_type TEXT NOT NULL, policy_name TEXT NOT NULL,
            attached_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, user_name, policy_type, policy_name)) WITHOUT ROWID;
        CREATE INDEX user_policies_policy ON user_policies(account_id, policy_type, policy_name);
        """,
        // 3: nonces move to their own database file (SQLiteSchema.nonceMigrations), so the
        //    write every signed request makes no longer invalidates the readers' page caches;
        //    a counter row per account and region keeps the quota check O(1).
        """
        DROP TABLE nonces;
        CREATE TABLE key_pair_counts (
            account_id TEXT NOT NULL, region_id TEXT NOT NULL, n INTEGER NOT NULL,
            PRIMARY KEY (account_id, region_id)) WITHOUT ROWID;
        INSERT INTO key_pair_counts (account_id, region_id, n)
            SELECT account_id, region_id, COUNT(*) FROM key_pairs GROUP BY account_id, region_id;
        CREATE TRIGGER key_pairs_counted_in AFTER INSERT ON key_pairs BEGIN
            INSERT INTO key_pair_counts (account_id, region_id, n) VALUES (NEW.account_id, NEW.region_id, 1)
                ON CONFLICT (account_id, region_id) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER key_pairs_counted_out AFTER DELETE ON key_pairs BEGIN
            UPDATE key_pair_counts SET n = n - 1 WHERE account_id = OLD.account_id AND region_id = OLD.region_id;
        END;
        """,
        // 4: RAM roles, their policy attachments, and STS sessions (AssumeRole).
        """
        CREATE TABLE roles (
            account_id TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL, description TEXT NOT NULL,
            trust_policy TEXT NOT NULL, max_session_duration INTEGER NOT NULL,
            created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, name)) WITHOUT ROWID;
        CREATE TABLE role_policies (
            account_id TEXT NOT NULL, role_name TEXT NOT NULL, policy_type TEXT NOT NULL, policy_name TEXT NOT NULL,
            attached_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, role_name, policy_type, policy_name)) WITHOUT ROWID;
        CREATE INDEX role_policies_policy ON role_policies(account_id, policy_type, policy_name);
        CREATE TABLE sts_sessions (
            access_key_id TEXT PRIMARY KEY, secret TEXT NOT NULL, token TEXT NOT NULL, account_id TEXT NOT NULL,
            role_name TEXT NOT NULL, role_id TEXT NOT NULL, session_name TEXT NOT NULL, policy TEXT,
            created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX sts_sessions_expiry ON sts_sessions(expires_at);
        """,
        // 5: idempotency digests are SHA-256 with the password as a salted slow hash
        //    (`LaunchRequest.digest()`); the old ones held the request's text, password included.
        //    They cannot be rehashed here, so they are blanked: a retry of such a token now gets
        //    IdempotentParameterMismatch instead of exposing a password in the data file.
        """
        UPDATE idempotency SET digest = 'redacted' WHERE digest NOT LIKE 'sha256:%';
        """,
        // 6: fault-injection rules (issue 14): a JSON definition plus counters shared by every node.
        """
        CREATE TABLE fault_rules (
            id TEXT PRIMARY KEY, definition TEXT NOT NULL, created_at INTEGER NOT NULL,
            matched INTEGER NOT NULL DEFAULT 0, hits INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
        """,
        // 7: an instance keeps its UserData (DescribeUserData) and its system disk's category and
        //    size (DescribeDisks). Instances made before had neither: no user data, ECS's default disk.
        """
        ALTER TABLE instances ADD COLUMN user_data TEXT;
        ALTER TABLE instances ADD COLUMN system_disk_category TEXT NOT NULL DEFAULT 'cloud_essd';
        ALTER TABLE instances ADD COLUMN system_disk_size INTEGER NOT NULL DEFAULT 40;
        """,
        // 8: SSH on every Linux instance (issue 11): a store-wide number per instance that its
        //    loopback address derives from (existing instances numbered in creation order), the
        //    password as a salted slow hash (set now, and in effect since the last start), the
        //    host key made at first boot. Unique only when set: 0 is "none yet" (a record written
        //    without one, e.g. by a store test).
        """
        ALTER TABLE instances ADD COLUMN ssh_slot INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE instances ADD COLUMN password_hash TEXT;
        ALTER TABLE instances ADD COLUMN effective_password_hash TEXT;
        ALTER TABLE instances ADD COLUMN host_key TEXT;
        UPDATE instances SET ssh_slot = s.n
            FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM instances) AS s WHERE s.id = instances.id;
        CREATE UNIQUE INDEX instances_ssh_slot ON instances(ssh_slot) WHERE ssh_slot > 0;
        """,
        // 9: the ActionTrail audit trail (issue 13): one row per API call, newest read first.
        """
        CREATE TABLE audit_events (
            account_id TEXT NOT NULL, event_time INTEGER NOT NULL, event_id TEXT NOT NULL,
            event_name TEXT NOT NULL, event_rw TEXT NOT NULL, service_name TEXT NOT NULL,
            access_key_id TEXT NOT NULL, user_name TEXT NOT NULL,
            resource_types TEXT NOT NULL, resource_names TEXT NOT NULL, body TEXT NOT NULL,
            PRIMARY KEY (account_id, event_time, event_id)) WITHOUT ROWID;
        """,
        // 10: VPCs and vSwitches (VPC API 2016-04-28, issue 12), and the instance's place in them.
        //     A private IP is unique within its vSwitch; instances made before are in none ('').
        """
        CREATE TABLE vpcs (
            id TEXT PRIMARY KEY, account_id TEXT NOT NULL, region_id TEXT NOT NULL, name TEXT NOT NULL,
            description TEXT NOT NULL, cidr_block TEXT NOT NULL, resource_group_id TEXT NOT NULL, tags TEXT NOT NULL,
            created_at INTEGER NOT NULL, available_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX vpcs_order ON vpcs(account_id, region_id, created_at, id);
        CREATE TABLE vswitches (
            id TEXT PRIMARY KEY, account_id TEXT NOT NULL, region_id TEXT NOT NULL, vpc_id TEXT NOT NULL,
            zone_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, cidr_block TEXT NOT NULL,
            resource_group_id TEXT NOT NULL, tags TEXT NOT NULL, created_at INTEGER NOT NULL,
            available_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX vswitches_order ON vswitches(account_id, region_id, created_at, id);
        CREATE INDEX vswitches_vpc ON vswitches(vpc_id);
        ALTER TABLE instances ADD COLUMN vpc_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE instances ADD COLUMN vswitch_id TEXT NOT NULL DEFAULT '';
        CREATE UNIQUE INDEX instances_vswitch_ip ON instances(vswitch_id, private_ip) WHERE vswitch_id <> '';
        CREATE INDEX instances_vpc ON instances(vpc_id) WHERE vpc_id <> '';
        """,
        // 11: security groups (issue 12), their rules as a JSON array in the row (at most 200 a
        //     group), and the groups each instance is in (comma-separated IDs, join order).
        """
        CREATE TABLE security_groups (
            account_id TEXT NOT NULL, region_id TEXT NOT NULL, id TEXT PRIMARY KEY, name TEXT NOT NULL,
            description TEXT NOT NULL, vpc_id TEXT NOT NULL, group_type TEXT NOT NULL, resource_group_id TEXT NOT NULL,
            tags TEXT NOT NULL, rules TEXT NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX security_groups_by_account ON security_groups(account_id, region_id, created_at);
        CREATE INDEX security_groups_by_vpc ON security_groups(account_id, vpc_id);
        ALTER TABLE instances ADD COLUMN security_group_ids TEXT NOT NULL DEFAULT '';
        """,
        // 12: data disks made with an instance (issue 12, `DataDisk.N.*`): a JSON array in the
        //    instance's row, since they live and die with it; '' for none (every existing instance).
        """
        ALTER TABLE instances ADD COLUMN data_disks TEXT NOT NULL DEFAULT '';
        """,
    ]

    /// The audit database's own migrations (`<data file>-audit`, or a private in-memory one):
    /// migration 9's table, moved out of the data file (`AuditFile`).
    package static let auditMigrations: [String] = [
        """
        CREATE TABLE audit_events (
            account_id TEXT NOT NULL, event_time INTEGER NOT NULL, event_id TEXT NOT NULL,
            event_name TEXT NOT NULL, event_rw TEXT NOT NULL, service_name TEXT NOT NULL,
            access_key_id TEXT NOT NULL, user_name TEXT NOT NULL,
            resource_types TEXT NOT NULL, resource_names TEXT NOT NULL, body TEXT NOT NULL,
            PRIMARY KEY (account_id, event_time, event_id)) WITHOUT ROWID;
        """,
        // 2: events in a rowid table, keyed by a unique index (issue 13, the cost of recording).
        //    An event is ~0.7-1.3 KB (its request parameters hold whole public keys), and a
        //    WITHOUT ROWID row keeps at most ~1 KB in a 4 KiB page before spilling to an overflow
        //    page: an ImportKeyPair's event took ~4.7 KB of pages, written twice (WAL, then
        //    checkpoint) beside the data file's durable commits. A rowid table holds three such
        //    rows a page. The index holds the key only: LookupEvents' other filters read the rows
        //    of the time range (~13 ms for 20 rare matches among 200,000 events), and a call
        //    naming 50 instances keeps its long resource list out of the index.
        """
        CREATE TABLE audit_events_rows (
            account_id TEXT NOT NULL, event_time INTEGER NOT NULL, event_id TEXT NOT NULL,
            event_name TEXT NOT NULL, event_rw TEXT NOT NULL, service_name TEXT NOT NULL,
            access_key_id TEXT NOT NULL, user_name TEXT NOT NULL,
            resource_types TEXT NOT NULL, resource_names TEXT NOT NULL, body TEXT NOT NULL);
        INSERT INTO audit_events_rows SELECT * FROM audit_events ORDER BY account_id, event_time, event_id;
        DROP TABLE audit_events;
        ALTER TABLE audit_events_rows RENAME TO audit_events;
        CREATE UNIQUE INDEX audit_events_key ON audit_events (account_id, event_time, event_id);
        """,
    ]

    /// The nonce database's own migrations (`<data file>-nonces`, or a private in-memory one).
    package static let nonceMigrations: [String] = [
        """
        CREATE TABLE nonces (
            access_key_id TEXT NOT NULL, nonce TEXT NOT NULL, at INTEGER NOT NULL,
            PRIMARY KEY (access_key_id, nonce)) WITHOUT ROWID;
        CREATE INDEX nonces_at ON nonces(at);
        """,
        // 2: a nonce is kept until its request's timestamp leaves the window (issue 9: a request
        //    stamped 15 minutes ahead stayed valid 15 minutes after its nonce was purged).
        //    Rows written before recorded their arrival; arrival + 31 minutes covers any
        //    timestamp the 15-minute window accepted then.
        """
        ALTER TABLE nonces RENAME COLUMN at TO expires_at;
        UPDATE nonces SET expires_at = expires_at + 31 * 60 * 1000;
        DROP INDEX nonces_at;
        CREATE INDEX nonces_expiry ON nonces(expires_at);
        """,
    ]
}
