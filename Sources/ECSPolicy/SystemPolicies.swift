// Alibaba-managed ("System") policies relevant to ECS.

/// The system policies LocalECS knows, with the statements documented for ECS
/// (protocol-and-ram.md §6.6; `Version` `"1"`).
public enum SystemPolicies {
    /// The exact documents, keyed by policy name, as JSON text.
    public static let documents: [(name: String, json: String)] = [
        ("AliyunECSFullAccess",
         #"{"Version":"1","Statement":[{"Action":"ecs:*","Resource":"*","Effect":"Allow"},{"Action":["vpc:DescribeVpcs","vpc:DescribeVSwitches"],"Resource":"*","Effect":"Allow"}]}"#),
        ("AliyunECSReadOnlyAccess",
         #"{"Version":"1","Statement":[{"Action":"ecs:Describe*","Resource":"*","Effect":"Allow"},{"Action":"ecs:List*","Resource":"*","Effect":"Allow"},{"Action":["vpc:DescribeVpcs","vpc:DescribeVSwitches"],"Resource":"*","Effect":"Allow"}]}"#),
    ]

    /// `AliyunECSFullAccess` and `AliyunECSReadOnlyAccess`, type `"System"`, in that order.
    public static let all: [NamedPolicy] = documents.map { entry in
        // The texts above are constants checked by the test suite; they always parse.
        let document = try! PolicyParser.parse(entry.json)
        return NamedPolicy(name: entry.name, type: "System", document: document)
    }

    /// The system policy called `n` (exact, case-sensitive name), or nil.
    public static func named(_ n: String) -> NamedPolicy? {
        all.first { $0.name == n }
    }

    /// The JSON text of the system policy called `n` (exact name), or nil.
    public static func documentJSON(named n: String) -> String? {
        documents.first { $0.name == n }?.json
    }
}
