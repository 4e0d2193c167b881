import Foundation

/// Tags packed into one text column (`k=v&k2=v2`, with `%`, `&` and `=` escaped), shared by
/// the SQL backends so both read what the other wrote.
public enum TagCodec {
    public static func encode(_ tags: [ResourceTag]) -> String {
        tags.map { escape($0.key) + "=" + escape($0.value) }.joined(separator: "&")
    }

    public static func decode(_ text: String) -> [ResourceTag] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: "&", omittingEmptySubsequences: false).map { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return ResourceTag(key: unescape(kv[0]), value: kv.count > 1 ? unescape(kv[1]) : "")
        }
    }

    static func escape(_ s: String) -> String {
        guard s.contains(where: { $0 == "%" || $0 == "&" || $0 == "=" }) else { return s }
        return s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "&", with: "%26")
            .replacingOccurrences(of: "=", with: "%3D")
    }

    static func unescape(_ s: Substring) -> String {
        guard s.contains("%") else { return String(s) }
        return s.replacingOccurrences(of: "%26", with: "&").replacingOccurrences(of: "%3D", with: "=")
            .replacingOccurrences(of: "%25", with: "%")
    }
}
