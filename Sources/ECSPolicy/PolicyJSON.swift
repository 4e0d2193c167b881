// Canonical JSON rendering of policy documents.

extension PolicyDocument {
    /// The document as compact canonical JSON that ``PolicyParser/parse(_:)`` reads back to an
    /// equal document (for documents that passed the parser).
    ///
    /// Member order is `Version`, `Statement`; within a statement `Sid` (if any), `Effect`,
    /// `Action`/`NotAction`, `Resource`, `Condition` (if any). Actions, resources and condition
    /// values are always arrays; conditions are grouped by operator in first-appearance order.
    public var jsonText: String {
        var out = "{\"Version\":\(jsonQuote(version)),\"Statement\":["
        out += statements.map(\.jsonText).joined(separator: ",")
        return out + "]}"
    }
}

extension Statement {
    /// This statement as one compact JSON object (see ``PolicyDocument/jsonText``).
    public var jsonText: String {
        func list(_ items: [String]) -> String { "[" + items.map(jsonQuote).joined(separator: ",") + "]" }
        var parts: [String] = []
        if let sid { parts.append("\"Sid\":\(jsonQuote(sid))") }
        parts.append("\"Effect\":\(jsonQuote(effect.rawValue))")
        switch actions {
        case .actions(let a): parts.append("\"Action\":\(list(a))")
        case .notActions(let a): parts.append("\"NotAction\":\(list(a))")
        }
        parts.append("\"Resource\":\(list(resources))")
        if !conditions.isEmpty {
            var order: [ConditionOperator] = []
            var byOperator: [ConditionOperator: [Condition]] = [:]
            for c in conditions {
                if byOperator[c.operator] == nil { order.append(c.operator) }
                byOperator[c.operator, default: []].append(c)
            }
            let blocks = order.map { op in
                let entries = byOperator[op]!.map { "\(jsonQuote($0.key)):\(list($0.values))" }
                return "\(jsonQuote(op.rawValue)):{" + entries.joined(separator: ",") + "}"
            }
            parts.append("\"Condition\":{" + blocks.joined(separator: ",") + "}")
        }
        return "{" + parts.joined(separator: ",") + "}"
    }
}
