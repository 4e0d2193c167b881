/// The decoded RPC parameters of one request: query pairs, then form-body pairs.
///
/// Lookups take the last occurrence, so a form body overrides the query, as the clients that
/// use both expect.
public struct RPCParameters: Sendable {
    public private(set) var pairs: [(name: String, value: String)]
    private var index: [String: Int]

    public init(_ pairs: [(name: String, value: String)]) {
        self.pairs = pairs
        var index: [String: Int] = [:]
        index.reserveCapacity(pairs.count)
        for (i, p) in pairs.enumerated() { index[p.name] = i }
        self.index = index
    }

    public subscript(name: String) -> String? {
        guard let i = index[name] else { return nil }
        return pairs[i].value
    }
}
