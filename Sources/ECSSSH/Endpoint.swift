import ECSDomain
import Synchronization

/// One Running instance's SSH endpoint, as this node serves it. A new one is made each time
/// the instance (re)starts; the old one is cut, which ends its sessions.
final class Endpoint: Sendable {
    let instanceId: String
    /// When the instance last entered Starting: a reboot makes a new endpoint.
    let startedAt: Int64
    let slot: Int64
    let host: String
    let port: Int
    let hostKey: String
    let login: LoginInEffect
    let shell: InstanceShell
    private let cutFlag = Atomic<Bool>(false)

    init(instanceId: String, startedAt: Int64, slot: Int64, host: String, port: Int, hostKey: String,
         login: LoginInEffect, shell: InstanceShell) {
        self.instanceId = instanceId; self.startedAt = startedAt; self.slot = slot; self.host = host; self.port = port
        self.hostKey = hostKey; self.login = login; self.shell = shell
    }

    /// The instance stopped, rebooted or went: every session of this endpoint ends.
    func cut() { cutFlag.store(true, ordering: .releasing) }
    var isCut: Bool { cutFlag.load(ordering: .acquiring) }
}
