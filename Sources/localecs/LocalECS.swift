import ArgumentParser

@main
struct LocalECS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "localecs",
        abstract: "A local Alibaba Cloud ECS (RPC API 2014-05-26) for SSH key pairs, instances and RAM.",
        subcommands: [Serve.self, Accounts.self, Instances.self, Seed.self, Users.self, Policies.self, Reset.self, StateCommand.self, Faults.self, Actions.self],
        defaultSubcommand: Serve.self)
}
