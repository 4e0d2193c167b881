import ArgumentParser
import ECSDomain
import ECSServer
import ECSStore
import Foundation

/// `localecs reset`: empties a stopped store back to a new one (for a running server, POST /_localecs/reset).
struct Reset: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Empty a store back to a new one (the configured root account and key), or one account's resources.",
        discussion: "Nonces are kept, so a request signed before the reset stays refused as a replay.")

    @OptionGroup var storeOption: StoreOption
    @Option(help: "Only delete this account's resources, RAM users and client tokens (the account and its root keys stay).")
    var account: String?

    func run() async throws {
        if let account, !AccountService.isValidAccountId(account) { throw ValidationError("--account must be 16 digits") }
        let store = try await openStore(try storeOption.location(), config: ServerConfig(), access: .existing)
        let state = StateService(store: store, clock: SystemClock(), root: try Env.rootAccount())
        do { try await state.reset(account: account) } catch { await store.close(); throw error }
        await store.close()
        Console.line(account.map { "reset account \($0) in \(store.description)" } ?? "reset \(store.description)")
    }
}

/// `localecs state export|import`: the state as a versioned JSON estate (a test fixture).
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Export or import the state as an estate JSON file (a test fixture: it holds access key secrets).",
        subcommands: [Export.self, Import.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the state as canonical estate JSON (to stdout by default).")

        @OptionGroup var storeOption: StoreOption
        @Option(help: "Only this account.") var account: String?
        @Option(name: [.short, .long], help: "Write to this file instead of stdout.") var output: String?

        func run() async throws {
            if let account, !AccountService.isValidAccountId(account) { throw ValidationError("--account must be 16 digits") }
            let store = try await openStore(try storeOption.location(), config: ServerConfig(), access: .existing)
            let data: Data
            do {
                let estate = try await StateService(store: store, clock: SystemClock(), root: try Env.rootAccount()).export(account: account)
                data = try estate.canonicalJSON()
            } catch {
                await store.close()
                throw error
            }
            await store.close()
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: data) else {
                    throw CLIError("cannot write \(output)")
                }
            } else {
                FileHandle.standardOutput.write(data)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load an estate file into a stopped store (for a running server, PUT /_localecs/state).",
            discussion: "Refused when the store holds resources, unless --replace: then the store's whole state is discarded first.")

        @Argument(help: "The estate file (- for stdin).") var file: String
        @OptionGroup var storeOption: StoreOption
        @Flag(help: "Discard the store's state first, even when it holds resources.") var replace = false

        func run() async throws {
            let started = ContinuousClock.now
            let estate = try Estate.decode(try readEstate(file))
            let store = try await openStore(try storeOption.location(), config: ServerConfig())
            let n: Int
            do {
                n = try await StateService(store: store, clock: SystemClock(), root: try Env.rootAccount()).load(estate, replace: replace)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
            Console.line("imported \(n) records into \(store.description) in \(Int(started.duration(to: .now).millis)) ms")
        }
    }
}

/// The bytes of an estate file, or of stdin for `-`, with a one-line error when it cannot be read.
func readEstate(_ file: String) throws -> Data {
    if file == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
    guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
    return data
}

extension Duration {
    var millis: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}

