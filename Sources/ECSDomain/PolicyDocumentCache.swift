import ECSPolicy
import Synchronization

/// Parsed policy documents by their text, so that a request never parses a policy: custom
/// documents are parsed at CreatePolicy (or the first time another server node meets them).
final class PolicyDocumentCache: Sendable {
    static let capacity = 4096
    private let documents = Mutex<[String: PolicyDocument]>([:])

    /// The parsed document; nil if the text (which RAM validated when it was stored) does not parse.
    func document(_ text: String) -> PolicyDocument? {
        if let hit = documents.withLock({ $0[text] }) { return hit }
        guard let parsed = try? PolicyParser.parse(text) else { return nil }
        insert(text, parsed)
        return parsed
    }

    func insert(_ text: String, _ document: PolicyDocument) {
        documents.withLock { d in
            if d.count >= Self.capacity { d.removeAll(keepingCapacity: true) }
            d[text] = document
        }
    }
}
