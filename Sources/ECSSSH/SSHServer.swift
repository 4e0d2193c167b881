import ECSDomain
import ECSStore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides whether a connection from `client` to an instance's SSH port is admitted. Without
/// one, the instance's security groups decide (`SecurityGroupRules.admits`).
public typealias SSHAdmission = @Sendable (_ client: String, _ instanceId: String, _ port: Int) -> Bool

/// Serves SSH on every Running Linux instance: one endpoint per instance, up only while it runs.
///
/// - A reconcile loop reads the store every `interval`, so an instance started, stopped or
///   rebooted through any node shows here; an instance that is Running when the server starts
///   is served again. A reboot makes a new endpoint and cuts the old one's sessions.
/// - One accept thread polls every listening socket (no thread per listener); each accepted
///   connection gets its own thread, at most `maxSessions` at once, so libssh's blocking
///   handshake and writes never run on the Swift concurrency pool.
public final class SSHServer: Sendable {
    public struct Limits: Sendable {
        /// Connections served at once (handshakes included); more are closed at once.
        public var maxSessions = 512
        /// Failed authentication attempts before the connection is closed (sshd's MaxAuthTries).
        public var maxAuthTries = 6
        /// Seconds a connection may take to log in (sshd's LoginGraceTime).
        public var loginGraceSeconds = 30
        /// Seconds libssh waits on a silent peer during the handshake or a write.
        public var ioTimeoutSeconds = 10
        /// Seconds a logged-in connection may stay without any channel before it is closed.
        public var idleSeconds = 600
        /// Stack of each session thread.
        public var threadStackBytes = 512 * 1024
        public init() {}
    }

    let store: any Store
    let clock: any Clock
    public let config: SSHConfig
    let limits: Limits
    let admission: SSHAdmission?
    /// The security groups of each served instance that is in any, as of the last reconcile
    /// (absent: in no group). Read on the accept thread, so a rule change shows within one
    /// `interval`, like every other change the store holds.
    private let groupsByInstance = Mutex<[String: [SecurityGroupRecord]]>([:])
    let log: @Sendable (String) -> Void
    let interval: Duration

    private struct State {
        var endpoints: [String: Endpoint] = [:]
        var fds: [String: Int32] = [:]
        var byFd: [Int32: Endpoint] = [:]
        /// Endpoints that could not listen, and when to try again.
        var retryAt: [String: Int64] = [:]
        var stopped = false
    }
    private let state = Mutex(State())
    private let wake: (read: Int32, write: Int32)
    private let active = Atomic<Int>(0)
    private let loginCount = Atomic<Int>(0)
    private let acceptDone = Atomic<Bool>(false)

    /// Successful SSH logins since start (for metrics).
    public var logins: Int { loginCount.load(ordering: .relaxed) }
    /// Connections being served now.
    public var activeSessions: Int { active.load(ordering: .relaxed) }
    /// Endpoints listening now.
    public var endpointCount: Int { state.withLock { $0.fds.count } }

    public init(store: any Store, clock: any Clock, config: SSHConfig, limits: Limits = Limits(),
                interval: Duration = .milliseconds(200), admission: SSHAdmission? = nil,
                log: @escaping @Sendable (String) -> Void) {
        self.store = store; self.clock = clock; self.config = config; self.limits = limits
        self.interval = interval; self.admission = admission; self.log = log
        var p: [Int32] = [0, 0]
        _ = pipe(&p)
        for fd in p {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wake = (p[0], p[1])
        // A write to a peer that left must be an error, not a signal that ends the process.
        signal(SIGPIPE, SIG_IGN)
    }

    /// Serves until the task is cancelled, then closes every endpoint and cuts every session.
    public func run() async {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "ssh-accept"
        thread.start()
        var failing = false
        while !Task.isCancelled {
            do {
                try await reconcile()
                if failing { log("SSH: the store answers again; endpoints follow it") }
                failing = false
            } catch {
                // Once per outage: endpoints stay as they were until the store answers.
                if !failing { log("SSH: could not read the store (\(error)); endpoints stay as they are until it answers") }
                failing = true
            }
            try? await Task.sleep(for: interval)
        }
        let all = state.withLock { s -> [(Endpoint, Int32?)] in
            s.stopped = true
            let out = s.endpoints.values.map { ($0, s.fds[$0.instanceId]) }
            s.endpoints = [:]; s.fds = [:]; s.byFd = [:]
            return out
        }
        for (ep, fd) in all { ep.cut(); if let fd { Listener.close(fd) } }
        poke()
        while !acceptDone.load(ordering: .acquiring) { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// Brings the endpoints in line with the store: one per Running Linux instance.
    func reconcile() async throws {
        let now = clock.nowMillis()
        let (records, groups) = try await store.read { tx -> ([InstanceRecord], [SecurityGroupRecord]) in
            let records = try tx.linuxInstances()
            let ids = Set(records.filter { $0.sshSlot > 0 && $0.status(at: now) == .running }.flatMap(\.securityGroupIds))
            return (records, try tx.securityGroups(ids: ids.sorted()))
        }
        var desired: [String: InstanceRecord] = [:]
        for r in records where r.sshSlot > 0 && r.status(at: now) == .running { desired[r.id] = r }
        let byId = Dictionary(groups.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var memberships: [String: [SecurityGroupRecord]] = [:]
        for r in desired.values where !r.securityGroupIds.isEmpty {
            memberships[r.id] = r.securityGroupIds.compactMap { id in byId[id].flatMap { $0.accountId == r.accountId ? $0 : nil } }
        }
        groupsByInstance.withLock { $0 = memberships }
        let (gone, wanted) = state.withLock { s -> ([(Endpoint, Int32?)], [InstanceRecord]) in
            var gone: [(Endpoint, Int32?)] = []
            for (id, ep) in s.endpoints {
                if let r = desired[id], r.startedAt == ep.startedAt, r.sshSlot == ep.slot { continue }
                let fd = s.fds.removeValue(forKey: id)
                if let fd { s.byFd[fd] = nil }
                s.endpoints[id] = nil
                gone.append((ep, fd))
            }
            for id in s.retryAt.keys where desired[id] == nil { s.retryAt[id] = nil }
            let wanted = desired.values.filter { s.endpoints[$0.id] == nil && (s.retryAt[$0.id] ?? 0) <= now }
            return (gone, wanted)
        }
        for (ep, fd) in gone {
            ep.cut()
            if let fd { Listener.close(fd) }
        }
        var opened = false
        for r in wanted.sorted(by: { $0.sshSlot < $1.sshSlot }) {
            guard let (host, port) = config.endpoint(slot: r.sshSlot) else { continue }
            do {
                let ep = try await makeEndpoint(r, host: host, port: port)
                let fd = try Listener.open(host: host, port: port)
                let kept = state.withLock { s -> Bool in
                    guard !s.stopped, s.endpoints[r.id] == nil else { return false }
                    s.endpoints[r.id] = ep; s.fds[r.id] = fd; s.byFd[fd] = ep; s.retryAt[r.id] = nil
                    return true
                }
                if kept { opened = true } else { Listener.close(fd) }
            } catch {
                // Said once per instance (another node serving SSH on the same store would
                // otherwise fill the log), then retried every 5 s quietly.
                let first = state.withLock { s -> Bool in
                    defer { s.retryAt[r.id] = now + 5000 }
                    return s.retryAt[r.id] == nil
                }
                if first { log("SSH: instance \(r.id) cannot listen on \(host):\(port): \(error); retrying every 5 s (is another node serving SSH on this store? use --ssh off there)") }
            }
        }
        if opened || !gone.isEmpty { poke() }
    }

    /// The endpoint of a Running instance: its host key (made now if it has none), the login in
    /// effect and what its shell shows.
    func makeEndpoint(_ r: InstanceRecord, host: String, port: Int) async throws -> Endpoint {
        var hostKey = r.hostKey
        if hostKey == nil {
            guard let made = HostKey.generate() else { throw Listener.Failure.system("host key", EIO) }
            let account = r.accountId, id = r.id
            // Another node (or an earlier pass) may have made one meanwhile: the first one stays.
            hostKey = try await store.write { tx -> String in
                guard var row = try tx.instancesForUpdate(account: account, ids: [id]).first else { return made }
                if let existing = row.hostKey { return existing }
                row.hostKey = made
                try tx.updateInstance(row)
                return made
            }
        }
        var publicKey: String?
        if let name = r.effectiveKeyPair {
            let account = r.accountId, region = r.regionId
            publicKey = try await store.read { try $0.keyPair(account: account, region: region, name: name)?.publicKey }
        }
        let login = r.loginInEffect(publicKey: publicKey)
        let shell = InstanceShell(hostName: r.hostName, image: Catalog.image(r.imageId), authorizedKey: login.publicKey)
        return Endpoint(instanceId: r.id, startedAt: r.startedAt, slot: r.sshSlot, host: host, port: port,
                        hostKey: hostKey ?? "", login: login, shell: shell)
    }

    private func poke() {
        var b: UInt8 = 1
        _ = write(wake.write, &b, 1)
    }

    /// Polls the wake pipe and every listening socket; hands each accepted connection to a thread.
    private func acceptLoop() {
        defer { acceptDone.store(true, ordering: .releasing) }
        var fds: [pollfd] = []
        while true {
            let stopped = state.withLock { s -> Bool in
                fds.removeAll(keepingCapacity: true)
                fds.append(pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0))
                for fd in s.byFd.keys { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
                return s.stopped
            }
            if stopped { return }
            let n = poll(&fds, nfds_t(fds.count), 1000)
            if n <= 0 { continue }
            if fds[0].revents != 0 {
                var buf = [UInt8](repeating: 0, count: 256)
                while read(wake.read, &buf, buf.count) > 0 {}
            }
            for p in fds.dropFirst() where p.revents & Int16(POLLIN) != 0 {
                // The fd may have been closed (and even reused) since the poll: ask the table.
                guard let ep = state.withLock({ $0.byFd[p.fd] }) else { continue }
                while let accepted = Listener.accept(p.fd) {
                    admit(accepted.fd, client: accepted.client, endpoint: ep)
                }
            }
        }
    }

    /// The injected admission, or the instance's security groups: ingress TCP to port 22 (the
    /// instance's SSH port as ECS sees it, whatever loopback port serves it) from the client.
    func admits(client: String, instanceId: String, port: Int) -> Bool {
        if let admission { return admission(client, instanceId, port) }
        return SecurityGroupRules.admits(client: client, port: 22, groups: groupsByInstance.withLock { $0[instanceId] })
    }

    private func admit(_ fd: Int32, client: String, endpoint: Endpoint) {
        guard admits(client: client, instanceId: endpoint.instanceId, port: endpoint.port) else {
            Listener.close(fd)
            return
        }
        guard active.add(1, ordering: .relaxed).newValue <= limits.maxSessions else {
            active.subtract(1, ordering: .relaxed)
            Listener.close(fd)
            return
        }
        let session = SSHSession(fd: fd, endpoint: endpoint, limits: limits) { [self] in
            loginCount.add(1, ordering: .relaxed)
        }
        let thread = Thread { [self] in
            session.serve()
            active.subtract(1, ordering: .relaxed)
        }
        thread.stackSize = limits.threadStackBytes
        thread.name = "ssh-session"
        thread.start()
    }
}
