import ArgumentParser
import ECSDomain
import ECSServer
import Foundation

/// `localecs faults add|list|delete|clear`: fault-injection rules, written to the store that
/// running servers read (for a server's admin routes: `/_localecs/faults`).
struct Faults: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inject faults: make matching calls fail, slow down or lose their connection.",
        discussion: "Rules live in the store, so every server sharing it applies them (within \(FaultService.refreshMillis) ms; 'add', 'delete' and 'clear' return after that).",
        subcommands: [Add.self, List.self, Delete.self, Clear.self])

    /// Waits out the servers' refresh interval, so a rule changed here acts when the command returns.
    static func settle() async throws {
        try await Task.sleep(for: .milliseconds(FaultService.refreshMillis + 50))
    }

    static func withFaults<T>(_ storeOption: StoreOption, _ body: (FaultService) async throws -> T) async throws -> T {
        let store = try await openStore(try storeOption.location(), config: ServerConfig(), access: .existing)
        do {
            let result = try await body(FaultService(store: store, clock: SystemClock()))
            await store.close()
            return result
        } catch let e as FaultRuleError {
            await store.close()
            throw CLIError(e.description)
        } catch {
            await store.close()
            throw error
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a rule and print its ID.",
            discussion: """
                Filters (all optional): --product --action (wildcards * and ?) --account --principal (RAM user or role \
                name, AccessKeyId, or root) --region --parameter NAME [--parameter-contains TEXT].
                Effect (one): an error (--code, --status, --message, --retry-after-ms), --latency-ms, or --drop.
                How often (optional): --count N, --probability P [--seed S], --duration-seconds D.
                Example: localecs faults add --action DetachKeyPair --code ServiceUnavailable --status 503 --count 2
                """)

        @OptionGroup var storeOption: StoreOption
        @Option(help: "ecs, ram or sts (or an API version).") var product: String?
        @Option(help: "Action name; * and ? are wildcards.") var action: String?
        @Option(help: "Account ID.") var account: String?
        @Option(help: "RAM user or role name, AccessKeyId, or root.") var principal: String?
        @Option(help: "RegionId of the call.") var region: String?
        @Option(help: "A request parameter the call must carry.") var parameter: String?
        @Option(help: "Text the parameter's value must contain (an instance ID in InstanceIds, say).") var parameterContains: String?
        @Option(help: "ECS error code to answer.") var code: String?
        @Option(help: "HTTP status of the error (default: ECS's for known codes).") var status: Int?
        @Option(help: "Error message (default: ECS's for known codes).") var message: String?
        @Option(help: "Send x-acs-retry-after with this many milliseconds.") var retryAfterMs: Int?
        @Option(help: "Answer this many milliseconds late (the call runs).") var latencyMs: Int?
        @Flag(help: "Reset the connection without answering (the call does not run).") var drop = false
        @Option(help: "Act on the next N matching calls only.") var count: Int64?
        @Option(help: "Act on a matching call with this probability (0 < P <= 1).") var probability: Double?
        @Option(help: "Seed of the probability draws (the same seed hits the same calls).") var seed: UInt64?
        @Option(help: "Act only for this many seconds from now.") var durationSeconds: Int64?

        func run() async throws {
            var r = FaultRule()
            r.product = product; r.action = action; r.account = account; r.principal = principal; r.region = region
            r.parameter = parameter; r.parameterContains = parameterContains
            r.code = code; r.status = status; r.message = message; r.retryAfterMs = retryAfterMs; r.latencyMs = latencyMs
            r.drop = drop ? true : nil
            r.count = count; r.probability = probability; r.seed = seed; r.durationSeconds = durationSeconds
            let added = try await withFaults(storeOption) { try await $0.add(r) }
            try await settle()
            Console.line(added.record.id)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the rules with their hit counts, one per line.")
        @OptionGroup var storeOption: StoreOption

        func run() async throws {
            let rules = try await withFaults(storeOption) { try await $0.list() }
            for a in rules {
                Console.line("\(a.record.id) hits=\(a.record.hits) matched=\(a.record.matched) \(a.rule.json())")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete one rule.")
        @OptionGroup var storeOption: StoreOption
        @Argument(help: "The rule's ID.") var id: String

        func run() async throws {
            guard try await withFaults(storeOption, { try await $0.delete(id: id) }) else { throw CLIError("no fault rule has the ID \(id)") }
            try await settle()
            Console.line("deleted \(id)")
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete every rule.")
        @OptionGroup var storeOption: StoreOption

        func run() async throws {
            let n = try await withFaults(storeOption) { try await $0.clear() }
            try await settle()
            Console.line("deleted \(n) fault rule\(n == 1 ? "" : "s")")
        }
    }
}
