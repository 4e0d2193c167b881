import CLibSSH

/// Typed doors into libssh's untyped corners (`void *` options, C strings it allocates).
enum LibSSH {
    static let ok = Int32(SSH_OK)
    static let error = Int32(SSH_ERROR)
    static let authSuccess = Int32(SSH_AUTH_SUCCESS.rawValue)
    static let authDenied = Int32(SSH_AUTH_DENIED.rawValue)

    static func setTimeout(_ session: OpaquePointer, seconds: Int) {
        var value = seconds
        _ = ssh_options_set(session, SSH_OPTIONS_TIMEOUT, &value)
    }

    /// A libssh-allocated C string as a Swift string, freed.
    static func take(_ p: UnsafeMutablePointer<CChar>?) -> String? {
        guard let p else { return nil }
        defer { ssh_string_free_char(p) }
        return String(cString: p)
    }

    /// The base64 public-key blob of a key (the second field of an OpenSSH public-key line).
    static func publicBlobBase64(_ key: OpaquePointer) -> String? {
        var b64: UnsafeMutablePointer<CChar>?
        guard ssh_pki_export_pubkey_base64(key, &b64) == ok else { return nil }
        return take(b64)
    }
}

/// An instance's SSH host key: Ed25519, made once at the instance's first boot and kept in the
/// store as OpenSSH private-key text, so known_hosts stays valid across reboots and restarts.
public enum HostKey {
    /// A new key as OpenSSH private-key text.
    public static func generate() -> String? {
        var key: OpaquePointer?
        guard ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) == LibSSH.ok, let key else { return nil }
        defer { ssh_key_free(key) }
        var b64: UnsafeMutablePointer<CChar>?
        guard ssh_pki_export_privkey_base64(key, nil, nil, nil, &b64) == LibSSH.ok else { return nil }
        return LibSSH.take(b64)
    }

    /// The parsed key; the caller owns it (`ssh_key_free`, or hand it to a bind, which frees it).
    static func load(_ text: String) -> OpaquePointer? {
        var key: OpaquePointer?
        guard ssh_pki_import_privkey_base64(text, nil, nil, nil, &key) == LibSSH.ok else { return nil }
        return key
    }

    /// `SHA256:…`, as `ssh-keygen -lf` and OpenSSH's prompts print it.
    public static func fingerprint(_ text: String) -> String? {
        guard let key = load(text) else { return nil }
        defer { ssh_key_free(key) }
        var hash: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == LibSSH.ok, let hash else { return nil }
        defer { var h: UnsafeMutablePointer<UInt8>? = hash; ssh_clean_pubkey_hash(&h) }
        return LibSSH.take(ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length))
    }

    /// `ssh-ed25519 AAAA…`: the line a known_hosts file holds after the host name.
    public static func publicLine(_ text: String) -> String? {
        guard let key = load(text) else { return nil }
        defer { ssh_key_free(key) }
        guard let blob = LibSSH.publicBlobBase64(key), let type = ssh_key_type_to_char(ssh_key_type(key)) else { return nil }
        return String(cString: type) + " " + blob
    }
}
