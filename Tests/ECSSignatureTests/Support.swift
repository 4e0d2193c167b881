import ECSSignature
import Testing
import Foundation

/// One captured request from `shared/vectors/signatures.json`.
struct CapturedVector: Decodable, CustomTestStringConvertible, Sendable {
    var client: String
    var action: String
    var secret: String
    var method: String
    var target: String
    var headers: [[String]]
    var body: String
    var scheme: String
    var expected_signature: String
    var canonical_request: String?
    var string_to_sign: String

    var testDescription: String { "\(client) \(action)" }
    var isV3: Bool { scheme.hasPrefix("V3") }

    /// The request as the server would hand it over: query decoded, header names lower-cased.
    var request: RequestView {
        let query = target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        return RequestView(
            method: method,
            query: Signature.decodeForm(query),
            form: [],
            headers: headers.map { (name: $0[0].lowercased(), value: $0[1]) },
            body: Array(body.utf8))
    }
}

enum Vectors {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// `$LOCALECS_VECTORS`, else `tests/vectors/signatures.json` of this repository (three levels
    /// above this file): captured facts, carried in the repository so a plain clone tests them.
    static let url: URL = {
        if let env = ProcessInfo.processInfo.environment["LOCALECS_VECTORS"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        let repo = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.appendingPathComponent("tests/vectors/signatures.json")
    }()

    /// The captured vectors; throws when the file is missing, unreadable or empty, so a
    /// parameterised test over them fails instead of running no case.
    static func load() throws -> [CapturedVector] {
        guard let data = try? Data(contentsOf: url) else { throw Missing(description: "cannot read \(url.path); set LOCALECS_VECTORS") }
        let vectors = try JSONDecoder().decode([CapturedVector].self, from: data)
        guard !vectors.isEmpty else { throw Missing(description: "\(url.path) holds no vectors") }
        return vectors
    }

    static func v3() throws -> [CapturedVector] { try load().filter(\.isV3) }
}

extension RequestView {
    /// A copy with the first value of query parameter `name` replaced.
    func replacingQuery(_ name: String, with value: String) -> RequestView {
        var copy = self
        if let i = copy.query.firstIndex(where: { $0.name == name }) { copy.query[i].value = value }
        return copy
    }

    /// A copy with every header named `name` removed and `value` set (appended).
    func settingHeader(_ name: String, _ value: String) -> RequestView {
        var copy = self
        copy.headers.removeAll { $0.name == name }
        copy.headers.append((name, value))
        return copy
    }

    func removingHeader(_ name: String) -> RequestView {
        var copy = self
        copy.headers.removeAll { $0.name == name }
        return copy
    }
}

/// `s` with the byte at `index` (from the start, or from the end if negative) changed to another printable ASCII byte.
func flipByte(_ s: String, at index: Int = 0) -> String {
    var bytes = Array(s.utf8)
    let i = index >= 0 ? index : bytes.count + index
    bytes[i] = bytes[i] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
    return String(decoding: bytes, as: UTF8.self)
}

/// Pairs written as a dictionary literal, in order.
func pairs(_ list: KeyValuePairs<String, String>) -> [(name: String, value: String)] {
    list.map { (name: $0.key, value: $0.value) }
}
