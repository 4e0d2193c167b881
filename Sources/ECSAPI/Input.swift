/// A tag as the RPC parameters carry it.
public struct Tag: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}

/// One parsed parameter value.
public enum InputValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case list([String])
    case tags([Tag])
    case records([[String: String]])
}

/// The typed input of one action: only declared parameters, validated against their kinds.
public struct Input: Sendable {
    public var values: [String: InputValue]

    public init(_ values: [String: InputValue] = [:]) { self.values = values }

    public func string(_ name: String) -> String? {
        if case .string(let s)? = values[name] { return s }
        return nil
    }
    public func integer(_ name: String) -> Int? {
        if case .integer(let i)? = values[name] { return i }
        return nil
    }
    public func boolean(_ name: String) -> Bool? {
        if case .boolean(let b)? = values[name] { return b }
        return nil
    }
    public func list(_ name: String) -> [String]? {
        if case .list(let l)? = values[name] { return l }
        return nil
    }
    public func records(_ name: String) -> [[String: String]]? {
        if case .records(let r)? = values[name] { return r }
        return nil
    }
    public var tags: [Tag] {
        if case .tags(let t)? = values["Tag"] { return t }
        return []
    }
}
