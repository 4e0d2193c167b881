import ECSKeys
import ECSStore

/// What logs in to an instance now: the key pair and password in effect since its last start,
/// never the ones merely bound (`decisions.md`, DetachKeyPair contract).
public struct LoginInEffect: Sendable, Equatable {
    /// The public key in effect, OpenSSH one-line form (`ssh-rsa AAAA… comment`), if any.
    public var publicKey: String?
    /// Whether password login is in effect (a password was set and no key was bound at the last start).
    public var passwordLogin: Bool
    /// Salted slow hash of the password in effect; nil when none is known (none, or `PasswordInherit`).
    public var passwordHash: String?

    public init(publicKey: String?, passwordLogin: Bool, passwordHash: String?) {
        self.publicKey = publicKey; self.passwordLogin = passwordLogin; self.passwordHash = passwordHash
    }
}

extension InstanceRecord {
    /// The login in effect, given the public key of `effectiveKeyPair` (looked up by the caller).
    public func loginInEffect(publicKey: String?) -> LoginInEffect {
        LoginInEffect(publicKey: effectiveKeyPair == nil ? nil : publicKey, passwordLogin: passwordLoginEffective,
                      passwordHash: passwordLoginEffective ? effectivePasswordHash : nil)
    }
}

/// The SSH authentication decision, a pure function of the login in effect. Only `root` logs
/// in, as on an ECS Linux image.
public enum SSHAuthDecision {
    public static let user = "root"

    /// Whether the offered key (its base64 public-key blob) is the key in effect. The signature
    /// itself is verified by the SSH library.
    public static func publicKey(user: String, offeredBlobBase64: String, login: LoginInEffect) -> Bool {
        guard user == Self.user, let key = login.publicKey, let blob = blobBase64(key) else { return false }
        return ConstantTimeText.equal(blob, offeredBlobBase64)
    }

    /// Whether `password` logs in. Slow when it may (PBKDF2), immediate when password login is off.
    public static func password(user: String, password: String, login: LoginInEffect) -> Bool {
        guard user == Self.user, login.passwordLogin, let hash = login.passwordHash else { return false }
        return SecretHash.verifyPassword(password, against: hash)
    }

    /// The second field of an OpenSSH public-key line.
    static func blobBase64(_ line: String) -> String? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return fields.count >= 2 ? String(fields[1]) : nil
    }
}

enum ConstantTimeText {
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Where the SSH endpoints listen: configuration, not state.
public struct SSHConfig: Sendable, Equatable {
    public enum Addressing: Sendable, Equatable {
        /// Each instance on its own loopback address (`LoopbackAddress`), all on `port` (Linux).
        case loopback
        /// Each instance on 127.0.0.1, port `port + slot` (macOS, where only 127.0.0.1 is up).
        case ports
    }
    public static let defaultPort = 2222
    /// Whether this node serves the SSH endpoints (with several nodes on one store, exactly one should).
    public var enabled = true
    public var port = SSHConfig.defaultPort
    public var addressing = Addressing.loopback

    public init(enabled: Bool = true, port: Int = SSHConfig.defaultPort, addressing: Addressing = .loopback) {
        self.enabled = enabled; self.port = port; self.addressing = addressing
    }

    /// The host and port an instance's SSH server listens on; nil when the slot has none.
    public func endpoint(slot: Int64) -> (host: String, port: Int)? {
        switch addressing {
        case .loopback:
            return LoopbackAddress.address(slot: slot).map { ($0, port) }
        case .ports:
            guard slot >= 1, slot <= Int64(65535 - port) else { return nil }
            return ("127.0.0.1", port + Int(slot))
        }
    }

    /// The `ssh` command line that logs in to the instance (`KEY.pem` stands for the key pair's file).
    public func command(slot: Int64, keyPair: String?) -> String? {
        guard let (host, port) = endpoint(slot: slot) else { return nil }
        let key = keyPair.map { " -i \($0).pem" } ?? ""
        return "ssh\(key) -p \(port) \(SSHAuthDecision.user)@\(host)"
    }
}
