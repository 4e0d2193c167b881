extension Signature {
    /// Equality of two secrets or tokens in time that depends on their lengths only, not on
    /// where they first differ: comparing a guess with `==` would tell a timing attacker how
    /// many leading characters were right.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        ASCII.constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }
}
