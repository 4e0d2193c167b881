import ArgumentParser
import ECSDomain
import ECSServer

/// `localecs accounts create`: a new account and its root access key, without any API call.
struct Accounts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account and print its ID and root access key.")

        @OptionGroup var storeOption: StoreOption
        @Option(help: "Root AccessKeyId (generated when omitted).") var accessKeyId: String?
        @Option(help: "Root AccessKeySecret (generated when omitted).") var accessKeySecret: String?

        func run() async throws {
            let config = ServerConfig()
            let store = try await openStore(try storeOption.location(), config: config, access: .existing)
            let services = Services(store: store, config: config.domain)
            let created = try await services.accounts.createAccount(accessKeyId: accessKeyId, secret: accessKeySecret)
            await store.close()
            Console.line("AccountId: \(created.accountId)")
            Console.line("AccessKeyId: \(created.accessKeyId)")
            Console.line("AccessKeySecret: \(created.secret)")
        }
    }
}
