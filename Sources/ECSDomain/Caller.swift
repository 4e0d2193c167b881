/// Who is calling: the account whose state the call sees, and the identity acting for it.
public struct Caller: Sendable, Equatable {
    public var accountId: String
    public var accessKeyId: String
    /// nil for the account's root credentials.
    public var userName: String?

    public init(accountId: String, accessKeyId: String, userName: String? = nil) {
        self.accountId = accountId; self.accessKeyId = accessKeyId; self.userName = userName
    }
}
