import Foundation
import Testing

/// Runs the real OpenSSH `ssh-keygen`, the external reference these tests compare against.
/// There is no skip: when the tool is missing, every test that needs it fails with `SSHKeygen.Failure`.
enum SSHKeygen {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func executable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent("ssh-keygen")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw Failure(description: "ssh-keygen not found (PATH=\(path)). These tests compare against OpenSSH and do not skip: install it, e.g. `apt-get install openssh-client`.")
    }

    /// Runs `ssh-keygen arguments…` with no stdin.
    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self)
        )
    }

    /// Runs `ssh-keygen` and requires exit status 0.
    static func check(_ arguments: [String]) throws -> String {
        let output = try run(arguments)
        guard output.status == 0 else {
            throw Failure(description: "ssh-keygen \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)")
        }
        return output.stdout
    }

    /// Generates an unencrypted key pair at `directory/name`; returns the public-key line.
    static func generate(type: String, bits: Int?, comment: String, in directory: TemporaryDirectory, name: String) throws -> String {
        var arguments = ["-q", "-t", type, "-N", "", "-C", comment, "-f", directory.path(name)]
        if let bits {
            arguments += ["-b", String(bits)]
        }
        _ = try check(arguments)
        return try String(contentsOfFile: directory.path(name + ".pub"), encoding: .utf8)
    }

    struct Listing: Equatable {
        var bits: Int
        var md5: String
    }

    /// `ssh-keygen -l -E md5 -f file`: "2048 MD5:aa:bb:… comment (RSA)".
    static func md5Listing(ofPublicKeyFile path: String) throws -> Listing {
        let line = try check(["-l", "-E", "md5", "-f", path])
        let fields = line.split(separator: " ")
        guard fields.count >= 2, let bits = Int(fields[0]), fields[1].hasPrefix("MD5:") else {
            throw Failure(description: "unexpected ssh-keygen -l output: \(line)")
        }
        return Listing(bits: bits, md5: String(fields[1].dropFirst("MD5:".count)))
    }

    /// Writes `line` to a file and lists it.
    static func md5Listing(ofPublicKey line: String, in directory: TemporaryDirectory) throws -> Listing {
        let path = directory.path("listed-\(UUID().uuidString).pub")
        try (line + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try md5Listing(ofPublicKeyFile: path)
    }
}

/// A fresh directory under the system temporary directory, removed when released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ecskeys-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
