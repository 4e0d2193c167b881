import ArgumentParser
import ECSDomain
import ECSServer
import Foundation

/// `--store`, shared by every command that opens the state: flag > LOCALECS_STORE > the default file.
struct StoreOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Where state lives: sqlite:PATH (default sqlite:./localecs-data/localecs.sqlite), memory, or postgres://user:pass@host:port/db.",
        valueName: "store"))
    var store: String?

    func location() throws -> ServerConfig.StoreLocation {
        let text = store ?? Env.string("LOCALECS_STORE") ?? "sqlite:" + ServerConfig.defaultSQLitePath
        guard let location = ServerConfig.StoreLocation.parse(text) else {
            throw ValidationError("--store must be sqlite:PATH, memory or postgres://…, not \(text)")
        }
        return location
    }
}

/// Reads `LOCALECS_*` environment variables.
enum Env {
    static func string(_ name: String) -> String? {
        guard let v = ProcessInfo.processInfo.environment[name], !v.isEmpty else { return nil }
        return v
    }

    static func int(_ name: String) throws -> Int? {
        guard let v = string(name) else { return nil }
        guard let i = Int(v) else { throw ValidationError("\(name) must be an integer, not \(v)") }
        return i
    }
}

/// A failure to report as one line, `Error: <message>`, without the usage text that
/// ArgumentParser adds to a `ValidationError`.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Env {
    /// The root account a new or reset store holds: LOCALECS_ACCOUNT_ID, LOCALECS_ACCESS_KEY_ID and
    /// LOCALECS_ACCESS_KEY_SECRET, or the defaults (as `serve` reads them).
    static func rootAccount() throws -> RootAccount {
        let id = string("LOCALECS_ACCOUNT_ID") ?? ServerConfig.defaultAccountId
        guard AccountService.isValidAccountId(id) else { throw ValidationError("LOCALECS_ACCOUNT_ID must be 16 digits") }
        return RootAccount(id: id, accessKeyId: string("LOCALECS_ACCESS_KEY_ID") ?? ServerConfig.defaultAccessKeyId,
                           secret: string("LOCALECS_ACCESS_KEY_SECRET") ?? ServerConfig.defaultAccessKeySecret)
    }
}
