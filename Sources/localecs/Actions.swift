import ArgumentParser
import ECSAPI
import Foundation

/// `localecs actions [NAME] [--json]`: the served actions and each one's RAM authorization
/// table, from the same declarations the server parses and authorizes with.
struct Actions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the API actions the server speaks, or show one action's RAM authorization table.")

    @Argument(help: "An action name (DetachKeyPair); without it, every action.")
    var name: String?

    @Flag(help: "Print the declarations as JSON (what GET /_localecs/actions serves).")
    var json = false

    func run() throws {
        var specs = DeclarationJSON.actions
        if let name {
            specs = DeclarationJSON.find(name)
            guard !specs.isEmpty else {
                throw CLIError("no action named \(name); `localecs actions` lists them")
            }
        }
        if json {
            if name == nil {
                print(DeclarationJSON.render())
            } else {
                print(String(decoding: JSONWriter.write(["Actions": .array(specs.map(DeclarationJSON.action))]), as: UTF8.self))
            }
            return
        }
        if name == nil {
            // The column fits the longest name (ecs:DescribeInstanceMaintenanceAttributes is 41).
            let width = max(36, (specs.map(\.ramAction.count).max() ?? 0) + 2)
            for s in specs {
                print(s.ramAction.padding(toLength: width, withPad: " ", startingAt: 0) + s.product.rawValue + "  " + s.accessLevel.rawValue)
            }
            return
        }
        print(specs.map { RAMTable($0).text() }.joined(separator: "\n\n"))
    }
}
