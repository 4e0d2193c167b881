import ECSKeys
import ECSStore

/// The naming and tagging rules of `ecs-api.md` §4, §8 and §9.
public enum Validation {
    /// KeyPairName: 2–128 characters, starting with a letter (any script), then letters, digits,
    /// `:`, `_`, `.`, `-`; not starting with `http://` or `https://`.
    public static func isValidKeyPairName(_ name: String) -> Bool {
        let count = name.count
        guard count >= 2, count <= 128, let first = name.first, first.isLetter else { return false }
        if name.hasPrefix("http://") || name.hasPrefix("https://") { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == ":" || $0 == "_" || $0 == "." || $0 == "-" }
    }

    /// InstanceName: 2–128 characters, starting with a letter, then letters, digits, `:`, `_`, `.`, `-`.
    public static func isValidInstanceName(_ name: String) -> Bool {
        isValidKeyPairName(name)
    }

    /// HostName: 2–64 characters (2–15 on Windows) of letters, digits, `.` and `-`, not starting or
    /// ending with either, and neither twice in a row.
    public static func isValidHostName(_ name: String, windows: Bool) -> Bool {
        let count = name.count
        guard count >= 2, count <= (windows ? 15 : 64), let f = name.first, let l = name.last else { return false }
        if f == "." || f == "-" || l == "." || l == "-" { return false }
        if name.contains("..") || name.contains("--") { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" }
    }

    /// Description: 2–256 characters, not starting with `http://` or `https://` (ModifyInstanceAttribute).
    public static func isValidDescription(_ d: String) -> Bool {
        d.count >= 2 && d.count <= 256 && !d.hasPrefix("http://") && !d.hasPrefix("https://")
    }

    /// Password: 8–30 characters, at least three of upper case, lower case, digits and the specials
    /// ``()`~!@#$%^&*-_+=|{}[]:;'<>,.?/``; a Windows password must not start with `/`.
    public static func isValidPassword(_ p: String, windows: Bool) -> Bool {
        let specials = Set("()`~!@#$%^&*-_+=|{}[]:;'<>,.?/")
        guard p.count >= 8, p.count <= 30 else { return false }
        if windows && p.hasPrefix("/") { return false }
        var upper = false, lower = false, digit = false, special = false
        for c in p {
            if c.isASCII && c.isUppercase { upper = true }
            else if c.isASCII && c.isLowercase { lower = true }
            else if c.isASCII && c.isNumber { digit = true }
            else if specials.contains(c) { special = true }
            else { return false }
        }
        return [upper, lower, digit, special].filter { $0 }.count >= 3
    }

    /// Tag rules: at most 20; keys non-empty, ≤128, not `aliyun*`/`acs:*`, no `http(s)://`;
    /// values ≤128, not `acs:*`, no `http(s)://`; keys unique.
    public static func checkTags(_ tags: [ResourceTag]) throws(DomainError) {
        if tags.count > 20 { throw .tooManyTags(tags.count) }
        var seen = Set<String>()
        for t in tags {
            if t.key.isEmpty || t.key.count > 128 || t.key.hasPrefix("aliyun") || t.key.hasPrefix("acs:")
                || t.key.contains("http://") || t.key.contains("https://") {
                throw .tagKeyMalformed(t.key)
            }
            if t.value.count > 128 || t.value.hasPrefix("acs:") || t.value.contains("http://") || t.value.contains("https://") {
                throw .tagValueMalformed(t.value)
            }
            if !seen.insert(t.key).inserted { throw .duplicateTagKey(t.key) }
        }
    }

    /// Resource group IDs look like `rg-` followed by lower-case letters and digits.
    public static func checkResourceGroup(_ id: String?) throws(DomainError) {
        guard let id else { return }
        let rest = id.dropFirst(3)
        guard id.hasPrefix("rg-"), !rest.isEmpty, rest.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) }) else {
            throw .resourceGroupNotFound(id)
        }
    }

    public static func region(_ id: String) throws(DomainError) -> Region {
        guard let r = Catalog.region(id) else { throw .regionNotFound(id) }
        return r
    }

    /// The disk categories RunInstances accepts for `SystemDisk.Category`.
    public static let systemDiskCategories = ["cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"]

    /// `UserData`: base64 (strict RFC 4648) whose decoded bytes are at most 32 KB.
    public static func checkUserData(_ text: String) throws {
        guard let bytes = Base64.decode(text) else { throw DomainError.userDataNotBase64 }
        guard bytes.count <= 32 * 1024 else { throw DomainError.userDataTooLarge(bytes.count) }
    }
}
