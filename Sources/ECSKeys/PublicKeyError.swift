/// Why a public-key text was refused. The reason is for logs only; the server maps every case
/// to `InvalidPublicKeyBody.Malformed`.
public enum PublicKeyError: Error, Sendable, Equatable {
    case malformed(String)
}
