import CLibSSH
import ECSDomain
import Foundation

/// One SSH connection, served on its own thread from accept to close. libssh calls back into
/// it (through `userdata`) from inside `ssh_event_dopoll`, on that same thread only.
///
/// Channels are served one at a time, in turn (paramiko's `exec_command` opens one per command);
/// a second one opened while one is active is refused.
final class SSHSession: @unchecked Sendable {
    let fd: Int32
    let endpoint: Endpoint
    let limits: SSHServer.Limits
    let onLogin: @Sendable () -> Void

    private var authenticated = false
    private var failures = 0
    private var current: Channel?
    /// Channels served before, kept (with their callback structs) until the session is freed:
    /// libssh may still call back for them (the client's close).
    private var retired: [Channel] = []
    private let serverCallbacks = UnsafeMutablePointer<ssh_server_callbacks_struct>.allocate(capacity: 1)

    init(fd: Int32, endpoint: Endpoint, limits: SSHServer.Limits, onLogin: @escaping @Sendable () -> Void) {
        self.fd = fd; self.endpoint = endpoint; self.limits = limits; self.onLogin = onLogin
        serverCallbacks.initialize(to: ssh_server_callbacks_struct())
    }

    deinit {
        serverCallbacks.deinitialize(count: 1)
        serverCallbacks.deallocate()
    }

    static func from(_ p: UnsafeMutableRawPointer?) -> SSHSession {
        Unmanaged<SSHSession>.fromOpaque(p!).takeUnretainedValue()
    }

    func serve() {
        guard let session = ssh_new() else { Listener.close(fd); return }
        defer { ssh_free(session) }
        guard let bind = ssh_bind_new() else { Listener.close(fd); return }
        defer { ssh_bind_free(bind) }
        guard let key = HostKey.load(endpoint.hostKey) else { Listener.close(fd); return }
        // The bind owns the key from here.
        _ = ssh_bind_options_set(bind, SSH_BIND_OPTIONS_IMPORT_KEY, UnsafeRawPointer(key))
        guard ssh_bind_accept_fd(bind, session, fd) == LibSSH.ok else {
            // Close it only if libssh did not take it (ssh_free closes the session's own socket):
            // a double close could hit a descriptor another thread has just been given.
            if ssh_get_fd(session) != fd { Listener.close(fd) }
            return
        }
        // From here the session owns the socket: ssh_free closes it.
        LibSSH.setTimeout(session, seconds: limits.ioTimeoutSeconds)

        let cb = serverCallbacks
        cb.pointee.size = MemoryLayout<ssh_server_callbacks_struct>.size
        cb.pointee.userdata = Unmanaged.passUnretained(self).toOpaque()
        cb.pointee.auth_pubkey_function = { _, user, key, state, ud in
            SSHSession.from(ud).authPublicKey(user: user, key: key, state: state)
        }
        cb.pointee.auth_password_function = { _, user, password, ud in
            SSHSession.from(ud).authPassword(user: user, password: password)
        }
        cb.pointee.channel_open_request_session_function = { session, ud in
            SSHSession.from(ud).openChannel(session)
        }
        _ = ssh_set_server_callbacks(session, cb)
        ssh_set_auth_methods(session, Int32(SSH_AUTH_METHOD_PUBLICKEY | SSH_AUTH_METHOD_PASSWORD))

        guard !endpoint.isCut, ssh_handle_key_exchange(session) == LibSSH.ok else {
            ssh_disconnect(session)
            return
        }
        guard let event = ssh_event_new() else { ssh_disconnect(session); return }
        defer { ssh_event_free(event) }
        _ = ssh_event_add_session(event, session)
        defer { _ = ssh_event_remove_session(event, session) }

        let grace = Date().addingTimeInterval(TimeInterval(limits.loginGraceSeconds))
        var lastActivity = Date()
        while true {
            if ssh_event_dopoll(event, 100) == LibSSH.error { break }
            if endpoint.isCut || failures >= limits.maxAuthTries || ssh_is_connected(session) == 0 { break }
            if !authenticated && Date() > grace { break }
            guard let ch = current else {
                // Logged in, but no channel for a long while: hang up, as an idle sshd client would be.
                if Date().timeIntervalSince(lastActivity) > TimeInterval(limits.idleSeconds) { break }
                continue
            }
            lastActivity = Date()
            if ch.step() {
                ch.finish()
                retired.append(ch)
                current = nil
            }
        }
        ssh_disconnect(session)
    }

    // MARK: authentication

    private func authPublicKey(user: UnsafePointer<CChar>?, key: OpaquePointer?, state: CChar) -> Int32 {
        guard let user, let key, let blob = LibSSH.publicBlobBase64(key),
              SSHAuthDecision.publicKey(user: String(cString: user), offeredBlobBase64: blob, login: endpoint.login) else {
            failures += 1
            return LibSSH.authDenied
        }
        // NONE is the client asking whether this key would do; VALID means libssh checked the
        // signature made with it.
        if state == CChar(SSH_PUBLICKEY_STATE_VALID.rawValue) { loggedIn() }
        return state == CChar(SSH_PUBLICKEY_STATE_NONE.rawValue) || state == CChar(SSH_PUBLICKEY_STATE_VALID.rawValue)
            ? LibSSH.authSuccess : LibSSH.authDenied
    }

    private func authPassword(user: UnsafePointer<CChar>?, password: UnsafePointer<CChar>?) -> Int32 {
        guard let user, let password,
              SSHAuthDecision.password(user: String(cString: user), password: String(cString: password), login: endpoint.login) else {
            failures += 1
            return LibSSH.authDenied
        }
        loggedIn()
        return LibSSH.authSuccess
    }

    private func loggedIn() {
        if !authenticated { authenticated = true; onLogin() }
    }

    private func openChannel(_ session: OpaquePointer?) -> OpaquePointer? {
        guard authenticated, current == nil, let session, let ch = ssh_channel_new(session) else { return nil }
        let channel = Channel(ch, shell: endpoint.shell)
        current = channel
        return ch
    }
}

/// One session channel: an `exec` or a shell (with or without a pty) of the instance's built-in shell.
final class Channel {
    let ch: OpaquePointer
    let shell: InstanceShell
    private let callbacks = UnsafeMutablePointer<ssh_channel_callbacks_struct>.allocate(capacity: 1)
    var pty = false
    var interactive = false
    var prompted = false
    var command: String?
    var input: [UInt8] = []
    var line: [UInt8] = []
    var peerEOF = false
    var closed = false
    var exitStatus: Int32?

    init(_ ch: OpaquePointer, shell: InstanceShell) {
        self.ch = ch; self.shell = shell
        callbacks.initialize(to: ssh_channel_callbacks_struct())
        let cb = callbacks
        cb.pointee.size = MemoryLayout<ssh_channel_callbacks_struct>.size
        cb.pointee.userdata = Unmanaged.passUnretained(self).toOpaque()
        cb.pointee.channel_pty_request_function = { _, _, _, _, _, _, _, ud in
            Channel.from(ud).pty = true
            return LibSSH.ok
        }
        cb.pointee.channel_pty_window_change_function = { _, _, _, _, _, _, _ in LibSSH.ok }
        cb.pointee.channel_env_request_function = { _, _, _, _, _ in LibSSH.ok }
        cb.pointee.channel_shell_request_function = { _, _, ud in
            let c = Channel.from(ud)
            guard !c.interactive && c.command == nil else { return LibSSH.error }
            c.interactive = true
            return LibSSH.ok
        }
        cb.pointee.channel_exec_request_function = { _, _, command, ud in
            let c = Channel.from(ud)
            guard !c.interactive && c.command == nil, let command else { return LibSSH.error }
            c.command = String(cString: command)
            return LibSSH.ok
        }
        // sftp/scp subsystems: refused; agent and X11 forwarding have no callback, so are refused too.
        cb.pointee.channel_subsystem_request_function = { _, _, _, _ in LibSSH.error }
        cb.pointee.channel_data_function = { _, _, data, len, _, ud in
            let c = Channel.from(ud)
            guard let data else { return 0 }
            // Input is bounded: a client typing without end does not grow memory.
            if c.input.count < 64 * 1024 {
                c.input.append(contentsOf: UnsafeRawBufferPointer(start: data, count: Int(len)))
            }
            return Int32(len)
        }
        cb.pointee.channel_eof_function = { _, _, ud in Channel.from(ud).peerEOF = true }
        cb.pointee.channel_close_function = { _, _, ud in Channel.from(ud).closed = true }
        _ = ssh_set_channel_callbacks(ch, cb)
    }

    deinit {
        callbacks.deinitialize(count: 1)
        callbacks.deallocate()
    }

    static func from(_ p: UnsafeMutableRawPointer?) -> Channel {
        Unmanaged<Channel>.fromOpaque(p!).takeUnretainedValue()
    }

    /// Serves what arrived since the last poll; true when the channel is done.
    func step() -> Bool {
        if closed { return true }
        if let cmd = command {
            command = nil
            _ = execute(cmd)
            return true
        }
        if interactive {
            if pty && !prompted { writePrompt(); prompted = true }
            return runShellInput()
        }
        // A channel with no request yet: done only if the client gave up on it.
        return peerEOF
    }

    /// Sends the exit status, end of file and close (unless the client closed it first).
    func finish() {
        guard !closed, ssh_channel_is_open(ch) != 0 else { return }
        if let status = exitStatus { _ = ssh_channel_request_send_exit_status(ch, status) }
        _ = ssh_channel_send_eof(ch)
        _ = ssh_channel_close(ch)
    }

    private func write(_ text: String, stderr: Bool) {
        guard !text.isEmpty else { return }
        // A terminal shows one stream with CR LF line ends.
        let out = pty ? text.replacingOccurrences(of: "\n", with: "\r\n") : text
        var bytes = Array(out.utf8)
        if stderr && !pty {
            _ = ssh_channel_write_stderr(ch, &bytes, UInt32(bytes.count))
        } else {
            _ = ssh_channel_write(ch, &bytes, UInt32(bytes.count))
        }
    }

    private func writePrompt() {
        var bytes = Array("[root@\(shell.hostName) ~]# ".utf8)
        _ = ssh_channel_write(ch, &bytes, UInt32(bytes.count))
    }

    /// Consumes typed input: a line editor with a pty (echo, backspace, Ctrl-C, Ctrl-D), plain
    /// lines without. Returns true when the shell exits.
    private func runShellInput() -> Bool {
        if !pty {
            while let nl = input.firstIndex(of: 0x0A) {
                let text = String(decoding: input[..<nl], as: UTF8.self)
                input.removeSubrange(...nl)
                if execute(text) { return true }
            }
            if peerEOF {
                if !input.isEmpty {
                    let text = String(decoding: input, as: UTF8.self)
                    input = []
                    if execute(text) { return true }
                }
                exitStatus = exitStatus ?? 0
                return true
            }
            return false
        }
        let bytes = input
        input = []
        for b in bytes {
            switch b {
            case 0x0D, 0x0A:
                write("\n", stderr: false)
                let text = String(decoding: line, as: UTF8.self)
                line = []
                if execute(text) { return true }
                writePrompt()
            case 0x7F, 0x08:
                if !line.isEmpty { line.removeLast(); write("\u{8} \u{8}", stderr: false) }
            case 0x03:
                line = []
                write("^C\n", stderr: false)
                writePrompt()
            case 0x04 where line.isEmpty:
                write("logout\n", stderr: false)
                exitStatus = 0
                return true
            default:
                if b >= 0x20 && line.count < 4096 {
                    line.append(b)
                    var e = [b]
                    _ = ssh_channel_write(ch, &e, 1)
                }
            }
        }
        return peerEOF
    }

    /// Runs one command line; true when it was `exit`.
    private func execute(_ text: String) -> Bool {
        let out = shell.run(text)
        write(out.stdout, stderr: false)
        write(out.stderr, stderr: true)
        exitStatus = out.status
        if out.exits { if pty { write("logout\n", stderr: false) }; return true }
        return false
    }
}
