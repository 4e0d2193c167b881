/// One ActionTrail event as stored: the columns LookupEvents filters on, and the event itself as
/// the JSON text LookupEvents returns.
public struct AuditEventRecord: Sendable, Equatable {
    public var accountId: String
    /// Milliseconds since the epoch.
    public var eventTime: Int64
    public var eventId: String
    public var eventName: String
    /// `Read` or `Write`.
    public var eventRW: String
    /// `Ecs`, `Ram`, `Sts`, `Actiontrail`.
    public var serviceName: String
    public var accessKeyId: String
    /// The RAM user's name, the role session's `role:session`, or `root`.
    public var userName: String
    /// ActionTrail resource types (`ACS::ECS::Instance`) and names the call touched.
    public var resourceTypes: [String]
    public var resourceNames: [String]
    public var body: String

    public init(accountId: String, eventTime: Int64, eventId: String, eventName: String, eventRW: String,
                serviceName: String, accessKeyId: String, userName: String, resourceTypes: [String],
                resourceNames: [String], body: String) {
        self.accountId = accountId; self.eventTime = eventTime; self.eventId = eventId; self.eventName = eventName
        self.eventRW = eventRW; self.serviceName = serviceName; self.accessKeyId = accessKeyId; self.userName = userName
        self.resourceTypes = resourceTypes; self.resourceNames = resourceNames; self.body = body
    }

    /// Lists are stored as `\n`-wrapped text (`\na\nb\n`) so that one exact item matches as
    /// the substring `\na\n`: names never hold a newline (the recorder drops any that do).
    public static func joined(_ items: [String]) -> String {
        items.isEmpty ? "" : "\n" + items.joined(separator: "\n") + "\n"
    }
    public static func split(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }
}

/// Where a LookupEvents page continues: the last event returned.
public struct AuditCursor: Sendable, Equatable {
    public var eventTime: Int64
    public var eventId: String
    public init(eventTime: Int64, eventId: String) { self.eventTime = eventTime; self.eventId = eventId }
}

/// A LookupEvents query: one account, a closed time range, filters combined with AND.
public struct AuditEventQuery: Sendable, Equatable {
    public var accountId: String
    public var start: Int64
    public var end: Int64
    public var eventName: String?
    public var eventRW: String?
    public var serviceName: String?
    public var accessKeyId: String?
    public var userName: String?
    public var resourceType: String?
    public var resourceName: String?
    /// Newest first unless `forward`.
    public var forward: Bool
    public var after: AuditCursor?
    public var limit: Int

    public init(accountId: String, start: Int64, end: Int64, forward: Bool = false, after: AuditCursor? = nil, limit: Int = 20) {
        self.accountId = accountId; self.start = start; self.end = end
        self.forward = forward; self.after = after; self.limit = limit
    }

    /// The WHERE clause and its arguments, with `placeholder(n)` for the n-th argument (1-based):
    /// one definition for SQLite (`?n`) and PostgreSQL (`$n`). Numbered, because the cursor's
    /// time is used twice.
    public func whereClause(placeholder: (Int) -> String, contains: (String, String) -> String)
        -> (sql: String, args: [AuditSQLArgument]) {
        var args: [AuditSQLArgument] = [.text(accountId), .int(start), .int(end)]
        var sql = "account_id = \(placeholder(1)) AND event_time >= \(placeholder(2)) AND event_time <= \(placeholder(3))"
        func add(_ column: String, _ value: String?) {
            guard let value else { return }
            args.append(.text(value)); sql += " AND \(column) = \(placeholder(args.count))"
        }
        add("event_name", eventName); add("event_rw", eventRW); add("service_name", serviceName)
        add("access_key_id", accessKeyId); add("user_name", userName)
        for (column, value) in [("resource_types", resourceType), ("resource_names", resourceName)] {
            guard let value else { continue }
            args.append(.text("\n" + value + "\n")); sql += " AND " + contains(column, placeholder(args.count))
        }
        if let after {
            args.append(.int(after.eventTime)); let t = placeholder(args.count)
            args.append(.text(after.eventId)); let i = placeholder(args.count)
            let op = forward ? ">" : "<"
            sql += " AND (event_time \(op) \(t) OR (event_time = \(t) AND event_id \(op) \(i)))"
        }
        let dir = forward ? "ASC" : "DESC"
        sql += " ORDER BY event_time \(dir), event_id \(dir)"
        args.append(.int(Int64(limit))); sql += " LIMIT \(placeholder(args.count))"
        return (sql, args)
    }
}

/// An argument of `AuditEventQuery.whereClause`, mapped onto each backend's own value type.
public enum AuditSQLArgument: Sendable, Equatable {
    case text(String)
    case int(Int64)
}

/// The stored columns in order, shared by both backends' SELECT and INSERT.
public enum AuditColumns {
    public static let list = "account_id, event_time, event_id, event_name, event_rw, service_name, access_key_id, user_name, resource_types, resource_names, body"
    public static let count = 11
}
