import Foundation

/// What changes when the server listens beyond loopback (README "Security model").
///
/// On a loopback address only local processes reach the server, so the admin routes stay open
/// and the well-known default root secret is acceptable. On any other address the admin routes
/// need `Authorization: Bearer <LOCALECS_ADMIN_TOKEN>`, and the server refuses to start with the
/// default root secret unless told it is meant (`--allow-default-credentials`).
public enum Exposure {
    /// `localhost`, `127.0.0.0/8` and `::1` (with or without brackets).
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// Why `config` must not start, or nil. Thrown by `buildApplication` before it listens.
    public static func startProblem(_ config: ServerConfig) -> String? {
        if isLoopback(config.host) || config.allowDefaultCredentials { return nil }
        guard config.accessKeySecret == ServerConfig.defaultAccessKeySecret else { return nil }
        return "refusing to listen on \(config.host), a non-loopback address, with the default root access key secret, "
            + "which anyone can read in LocalECS's documentation: set LOCALECS_ACCESS_KEY_SECRET, "
            + "or pass --allow-default-credentials (LOCALECS_ALLOW_DEFAULT_CREDENTIALS=1) if that is really meant"
    }
}

/// The start-up refusal of `Exposure.startProblem`.
public struct ExposureError: Error, CustomStringConvertible {
    public let description: String
}
