/// The parts of an HTTP request that signature checking needs, already decoded by the transport.
///
/// The view owns plain values and performs no I/O; building one is the server's job
/// (decode the query and, for `application/x-www-form-urlencoded` bodies, the form).
public struct RequestView: Sendable {
    /// HTTP method exactly as sent (`"GET"`, `"POST"`); it is part of both string-to-signs.
    public var method: String
    /// Decoded query pairs in wire order (`+` already decoded to a space); blank values kept.
    public var query: [(name: String, value: String)]
    /// Decoded `application/x-www-form-urlencoded` body pairs in wire order; empty when the body is not a form.
    public var form: [(name: String, value: String)]
    /// Headers in wire order, names lower-cased, values as received (repeated headers stay separate entries).
    public var headers: [(name: String, value: String)]
    /// Raw body bytes (hashed by V3).
    public var body: [UInt8]

    /// Stores the parts as given; nothing is decoded or normalised here.
    public init(
        method: String,
        query: [(name: String, value: String)],
        form: [(name: String, value: String)],
        headers: [(name: String, value: String)],
        body: [UInt8]
    ) {
        self.method = method
        self.query = query
        self.form = form
        self.headers = headers
        self.body = body
    }

    /// The first value of the header named `lowercasedName`, or nil if absent.
    /// Names are compared ASCII case-insensitively, so a view built with un-lowered names still works.
    public func header(_ lowercasedName: String) -> String? {
        for h in headers where ASCII.equalsIgnoringCase(h.name, lowercasedName) {
            return h.value
        }
        return nil
    }

    /// Every value of the header named `lowercasedName`, in wire order (ASCII case-insensitive match).
    public func headerValues(_ lowercasedName: String) -> [String] {
        var values: [String] = []
        for h in headers where ASCII.equalsIgnoringCase(h.name, lowercasedName) {
            values.append(h.value)
        }
        return values
    }

    /// The first value of parameter `name` in the query, then in the form; nil if absent.
    public func parameter(_ name: String) -> String? {
        for p in query where p.name == name { return p.value }
        for p in form where p.name == name { return p.value }
        return nil
    }
}
