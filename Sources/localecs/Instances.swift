import ArgumentParser
import ECSDomain
import ECSServer
import ECSSSH
import ECSStore

/// `localecs instances show ID`: the login really in effect on an instance.
struct Instances: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Inspect instances.", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an instance's status, bound key pair, key pair in effect, password login and pending restart.")

        @OptionGroup var storeOption: StoreOption
        @Argument(help: "The instance ID (i-…).") var id: String

        func run() async throws {
            let config = ServerConfig()
            let store = try await openStore(try storeOption.location(), config: config, access: .existing)
            let services = Services(store: store, config: config.domain)
            let instanceId = id
            let record = try await store.read { try $0.instanceAnyAccount(id: instanceId) }
            await store.close()
            guard let record else { throw CLIError("no instance \(id) in \(store.description)") }
            let view = services.instances.view(record, at: services.clock.nowMillis())
            let login = record.login
            Console.line("InstanceId:             \(record.id)")
            Console.line("AccountId:              \(record.accountId)")
            Console.line("RegionId:               \(record.regionId)")
            Console.line("Status:                 \(view.status.rawValue)")
            Console.line("OSType:                 \(record.osType)")
            Console.line("BoundKeyPair:           \(login.boundKeyPair ?? "-")")
            Console.line("EffectiveKeyPair:       \(login.effectiveKeyPair ?? "-")")
            Console.line("PasswordLoginEffective: \(login.passwordLoginEffective)")
            Console.line("RestartPending:         \(login.restartPending)")
            Console.line("PublicIpAddress:        \(record.publicIp.isEmpty ? "-" : record.publicIp)")
            if record.isWindows {
                Console.line("SSH:                    - (Windows instances have no SSH endpoint)")
            } else {
                // The default SSH settings, or LOCALECS_SSH_PORT / LOCALECS_SSH_ADDRESSING as `serve` reads them.
                let ssh = try Serve.sshConfig(flag: nil, port: nil, addressing: nil)
                Console.line("SSH:                    \(ssh.command(slot: record.sshSlot, keyPair: record.effectiveKeyPair) ?? "-")")
                Console.line("HostKeyFingerprint:     \(record.hostKey.flatMap(HostKey.fingerprint) ?? "- (made at first boot on the SSH node)")")
            }
        }
    }
}
