import ArgumentParser
import ECSAPI
import ECSDomain
import ECSPolicy
import ECSServer
import ECSStore
import Foundation

/// `--account`, shared by the RAM commands: flag > LOCALECS_ACCOUNT_ID > the default account.
struct AccountOption: ParsableArguments {
    @Option(help: "The account (default LOCALECS_ACCOUNT_ID or \(ServerConfig.defaultAccountId)).") var account: String?

    func accountId() throws -> String {
        let id = account ?? Env.string("LOCALECS_ACCOUNT_ID") ?? ServerConfig.defaultAccountId
        guard AccountService.isValidAccountId(id) else { throw ValidationError("--account must be 16 digits, not \(id)") }
        return id
    }
}

/// Opens the store, runs `body` with the services over it, closes it; RAM refusals come out as
/// `Code: message`, the way the RAM API words them.
func withRAM<T>(_ storeOption: StoreOption, _ body: (RAMService) async throws -> T) async throws -> T {
    let config = ServerConfig()
    let store = try await openStore(try storeOption.location(), config: config, access: .existing)
    let services = Services(store: store, config: config.domain)
    do {
        let out = try await body(services.ram)
        await store.close()
        return out
    } catch let e as RAMError {
        await store.close()
        let wire = e.ecsError
        throw ValidationError("\(wire.code): \(wire.message)")
    } catch DomainError.invalidParameter(_, let detail) {
        await store.close()
        throw ValidationError(detail)
    } catch {
        await store.close()
        throw error
    }
}

/// `localecs users …`: RAM users and their access keys, without any API call (the same rules as
/// the RAM API's CreateUser and CreateAccessKey).
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage RAM users.", subcommands: [Create.self, Keys.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a RAM user and print its name and ID.")

        @OptionGroup var storeOption: StoreOption
        @OptionGroup var accountOption: AccountOption
        @Argument(help: "The user name: 1–64 letters, digits, '.', '_' or '-'.") var name: String
        @Option(help: "The display name (default: the user name).") var displayName: String?
        @Option(help: "Comments.") var comments: String?

        func run() async throws {
            let account = try accountOption.accountId()
            let user = try await withRAM(storeOption) {
                try await $0.createUser(account: account, name: name, displayName: displayName, mobilePhone: nil,
                                        email: nil, comments: comments)
            }
            Console.line("AccountId: \(user.accountId)")
            Console.line("UserName: \(user.name)")
            Console.line("UserId: \(user.id)")
        }
    }

    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Manage a RAM user's access keys.", subcommands: [Create.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create an Active access key for a RAM user (at most two per user) and print it.")

            @OptionGroup var storeOption: StoreOption
            @OptionGroup var accountOption: AccountOption
            @Argument(help: "The user name.") var user: String

            func run() async throws {
                let account = try accountOption.accountId()
                let key = try await withRAM(storeOption) { try await $0.createAccessKey(account: account, userName: user) }
                Console.line("UserName: \(user)")
                Console.line("AccessKeyId: \(key.id)")
                Console.line("AccessKeySecret: \(key.secret)")
            }
        }
    }
}

/// `localecs policies …`: custom policies and attachments to users.
struct Policies: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage RAM policies.", subcommands: [Create.self, Attach.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a custom policy; the document is validated as RAM's CreatePolicy does.")

        @OptionGroup var storeOption: StoreOption
        @OptionGroup var accountOption: AccountOption
        @Argument(help: "The policy name: 1–128 letters, digits or '-'.") var name: String
        @Option(help: "The policy document: a JSON text, or the path of a file holding one.") var document: String
        @Option(help: "A description.") var description: String?

        func run() async throws {
            let account = try accountOption.accountId()
            let text = try Self.documentText(document)
            let policy = try await withRAM(storeOption) {
                try await $0.createPolicy(account: account, name: name, document: text, description: description)
            }
            Console.line("PolicyName: \(policy.name)")
            Console.line("PolicyType: Custom")
        }

        /// JSON when it looks like JSON (starts with `{`), else the contents of that file.
        static func documentText(_ value: String) throws -> String {
            if value.drop(while: { $0.isWhitespace }).hasPrefix("{") { return value }
            guard let data = FileManager.default.contents(atPath: value), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("--document must be a JSON policy document or a readable file, not \(value)")
            }
            return text
        }
    }

    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Attach a system or custom policy to a RAM user.")

        @OptionGroup var storeOption: StoreOption
        @OptionGroup var accountOption: AccountOption
        @Argument(help: "The policy name (e.g. AliyunECSReadOnlyAccess, or a custom policy).") var name: String
        @Option(help: "The user to attach it to.") var user: String
        @Option(help: "System or Custom (default: System for a known system policy, else Custom).") var type: String?

        func run() async throws {
            let account = try accountOption.accountId()
            let policyType = type ?? (SystemPolicies.named(name) != nil ? RAMService.system : RAMService.custom)
            try await withRAM(storeOption) {
                try await $0.attach(account: account, to: .user(user), policyType: policyType, policyName: name)
            }
            Console.line("Attached \(policyType) policy \(name) to \(user)")
        }
    }
}
