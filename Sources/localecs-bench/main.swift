import ECSAPI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// localecs-bench: a closed-loop HTTP/1.1 load generator for LocalECS (and moto, for comparison).
//
//   localecs-bench load --url http://127.0.0.1:PORT --workload NAME [--connections 32] [--duration 6]
//                       [--warmup 1] [--requests N] [--sign v3|v1] [--key-pairs 10000] [--instances 10000]
//                       [--name-prefix imp-] [--group-offset 0] [--threads 1] [--label TEXT]
//   localecs-bench startup [--probe get|ecs-api|ec2-api] [--path /_localecs/health] [--repeat 5] [--timeout 20]
//                          -- COMMAND ARGS… ({port} is replaced by a free port)
//
// Every run is bounded: at most 300 s of measurement, 5,000,000 requests and 256 connections, and only
// 127.0.0.1 / localhost. Results: a human summary on stderr, one JSON line on stdout.

enum Limits {
    static let maxDuration = 300.0
    static let maxWarmup = 30.0
    static let maxRequests = 5_000_000
    static let maxConnections = 256
}

struct Arguments {
    var options: [String: String] = [:]
    var rest: [String] = []

    init(_ args: ArraySlice<String>) throws {
        var i = args.startIndex
        while i < args.endIndex {
            let a = args[i]
            if a == "--" { rest = Array(args[(i + 1)...]); return }
            guard a.hasPrefix("--") else { throw BenchError("unexpected argument \(a)") }
            guard i + 1 < args.endIndex else { throw BenchError("\(a) needs a value") }
            options[String(a.dropFirst(2))] = args[i + 1]
            i += 2
        }
    }

    func string(_ k: String, _ d: String) -> String { options[k] ?? d }
    func int(_ k: String, _ d: Int) throws -> Int {
        guard let v = options[k] else { return d }
        guard let i = Int(v.filter { $0 != "_" && $0 != "," }) else { throw BenchError("--\(k) must be an integer") }
        return i
    }
    func double(_ k: String, _ d: Double) throws -> Double {
        guard let v = options[k] else { return d }
        guard let x = Double(v), x.isFinite, x >= 0 else { throw BenchError("--\(k) must be a number ≥ 0") }
        return x
    }
}

func env(_ name: String) -> String? {
    guard let p = getenv(name) else { return nil }
    let s = String(cString: p)
    return s.isEmpty ? nil : s
}

/// Accepts only http://127.0.0.1:PORT or http://localhost:PORT (any path is ignored); returns the port.
func loopbackPort(_ url: String) throws -> Int {
    guard url.hasPrefix("http://") else { throw BenchError("only http:// URLs on 127.0.0.1 or localhost: \(url)") }
    let rest = url.dropFirst("http://".count)
    let authority = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    let parts = authority.split(separator: ":")
    guard parts.count == 2, parts[0] == "127.0.0.1" || parts[0] == "localhost", let port = Int(parts[1]), (1...65535).contains(port) else {
        throw BenchError("refusing \(url): the load generator only targets 127.0.0.1 or localhost, with an explicit port")
    }
    return port
}

func json(_ pairs: [(String, Any?)]) -> String {
    func esc(_ s: String) -> String {
        var o = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            case "\r": o += "\\r"
            case "\t": o += "\\t"
            default:
                if u.value < 0x20 { o += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16) }
                else { o.unicodeScalars.append(u) }
            }
        }
        return o + "\""
    }
    let body = pairs.map { k, v -> String in
        let value: String
        switch v {
        case nil: value = "null"
        case let s as String: value = esc(s)
        case let d as Double: value = d.isFinite ? String(format3(d)) : "null"
        case let i as Int: value = String(i)
        default: value = esc("\(v!)")
        }
        return esc(k) + ":" + value
    }
    return "{" + body.joined(separator: ",") + "}"
}

/// A number with 3 decimals, without Foundation.
func format3(_ d: Double) -> String {
    let scaled = (d * 1000).rounded()
    let neg = scaled < 0
    let v = Int(abs(scaled))
    let frac = v % 1000
    return (neg ? "-" : "") + String(v / 1000) + "." + String(repeating: "0", count: 3 - String(frac).count) + String(frac)
}

func printErr(_ s: String) {
    let bytes = Array((s + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

func runLoad(_ a: Arguments) async throws {
    let url = a.string("url", "")
    let port = try loopbackPort(url)
    let workloadName = a.string("workload", "")
    let connections = try a.int("connections", 32)
    guard (1...Limits.maxConnections).contains(connections) else { throw BenchError("--connections must be 1…\(Limits.maxConnections)") }
    let duration = try a.double("duration", 6)
    guard duration > 0, duration <= Limits.maxDuration else { throw BenchError("--duration must be > 0 and ≤ \(Int(Limits.maxDuration)) s") }
    let warmup = try a.double("warmup", 1)
    guard warmup <= Limits.maxWarmup else { throw BenchError("--warmup must be ≤ \(Int(Limits.maxWarmup)) s") }
    let requests = try a.int("requests", Limits.maxRequests)
    guard (1...Limits.maxRequests).contains(requests) else { throw BenchError("--requests must be 1…\(Limits.maxRequests)") }
    let threads = try a.int("threads", 1)
    guard (1...8).contains(threads) else { throw BenchError("--threads must be 1…8") }
    let sign = a.string("sign", "v3")
    guard sign == "v1" || sign == "v3" else { throw BenchError("--sign must be v1 or v3") }

    let target = Target(
        host: "127.0.0.1:\(port)",
        accessKeyId: a.options["access-key-id"] ?? env("LOCALECS_ACCESS_KEY_ID") ?? "LTAI5tLocalECSDefaultKey",
        secret: a.options["access-key-secret"] ?? env("LOCALECS_ACCESS_KEY_SECRET") ?? "LocalECSDefaultSecret0123456789",
        region: a.string("region", "cn-hangzhou"), sign: sign,
        keyPairs: try a.int("key-pairs", 10_000), instances: try a.int("instances", 10_000),
        namePrefix: a.string("name-prefix", "imp-\(getpid())-"), groupOffset: try a.int("group-offset", 0))
    guard let workload = Workloads.make(workloadName, target) else {
        throw BenchError("unknown --workload \(workloadName); one of: \(Workloads.names.joined(separator: ", "))")
    }
    if let m = workload.maxConnections, connections > m {
        throw BenchError("\(workloadName) can use at most \(m) connections with \(target.instances) instances")
    }
    let plan = LoadPlan(port: port, connections: connections, maxRequests: requests, duration: duration, warmup: warmup,
                        requestTimeout: try a.double("request-timeout", 10), threads: threads)
    let r = try await LoadRunner.run(plan, workload: workload)
    let h = r.stats.histogram
    func ms(_ ns: UInt64) -> Double { Double(ns) / 1e6 }
    let label = a.string("label", workloadName)
    printErr("\(label): \(workloadName) c=\(connections) sign=\(sign): \(r.stats.ok) ok, \(r.stats.errors) errors in \(format3(r.seconds)) s" +
             " = \(format3(r.requestsPerSecond)) req/s; p50 \(format3(ms(h.quantile(0.5)))) ms, p99 \(format3(ms(h.quantile(0.99)))) ms," +
             " p99.9 \(format3(ms(h.quantile(0.999)))) ms, max \(format3(ms(h.max))) ms; connects \(r.stats.connects)" +
             (r.stats.firstError.map { "; first error: \($0)" } ?? ""))
    print(json([
        ("kind", "load"), ("label", label), ("workload", workloadName), ("connections", connections), ("sign", sign),
        ("ok", r.stats.ok), ("errors", r.stats.errors), ("warmup_requests", r.stats.warmupRequests),
        ("seconds", r.seconds), ("rps", r.requestsPerSecond),
        ("p50_ms", ms(h.quantile(0.5))), ("p90_ms", ms(h.quantile(0.9))), ("p99_ms", ms(h.quantile(0.99))),
        ("p999_ms", ms(h.quantile(0.999))), ("max_ms", ms(h.max)), ("mean_ms", h.mean / 1e6),
        ("connects", r.stats.connects), ("first_error", r.stats.firstError),
    ]))
}

func runStartup(_ a: Arguments) throws {
    guard !a.rest.isEmpty else { throw BenchError("startup needs -- COMMAND ARGS…") }
    // What "answered" means: a static route (get), a signed ECS call (ecs-api: DescribeRegions, V1 GET),
    // or an EC2 query call with a SigV4-shaped Authorization header (ec2-api: DescribeRegions).
    let probe = a.string("probe", "get")
    let path = a.string("path", "/_localecs/health")
    let keyId = a.options["access-key-id"] ?? env("LOCALECS_ACCESS_KEY_ID") ?? "LTAI5tLocalECSDefaultKey"
    let secret = a.options["access-key-secret"] ?? env("LOCALECS_ACCESS_KEY_SECRET") ?? "LocalECSDefaultSecret0123456789"
    var rng = FastRandom()
    let makeRequest: (Int) -> [UInt8]
    switch probe {
    case "get":
        makeRequest = { port in Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8) }
    case "ecs-api", "ec2-api":
        makeRequest = { port in
            let t = Target(host: "127.0.0.1:\(port)", accessKeyId: keyId, secret: secret, region: "cn-hangzhou", sign: "v1",
                           keyPairs: 0, instances: 0, namePrefix: "", groupOffset: 0)
            let r = probe == "ecs-api" ? Workloads.ecs(t, "DescribeRegions", [], &rng) : Workloads.ec2(t, "DescribeRegions", [], &rng)
            var text = "\(r.method.rawValue) \(r.uri) HTTP/1.1\r\nConnection: close\r\n"
            for (n, v) in r.headers { text += "\(n): \(v)\r\n" }
            return Array((text + "\r\n").utf8) + r.body
        }
    default:
        throw BenchError("--probe must be get, ecs-api or ec2-api")
    }
    let repeats = try a.int("repeat", 5)
    guard (1...20).contains(repeats) else { throw BenchError("--repeat must be 1…20") }
    let timeout = min(try a.double("timeout", 20), 60)
    var times: [Double] = []
    var rss: [Int] = []
    for _ in 0..<repeats {
        let port = Startup.freePort()
        let r = try Startup.measure(command: a.rest, port: port, timeout: timeout, makeRequest: makeRequest)
        times.append(r.millis)
        if let k = r.rssKiB { rss.append(k) }
    }
    let sorted = times.sorted()
    let median = sorted[sorted.count / 2]
    let label = a.string("label", "startup")
    printErr("\(label): start-up to first answer: median \(format3(median)) ms, min \(format3(sorted[0])) ms, max \(format3(sorted.last!)) ms over \(repeats)")
    print(json([
        ("kind", "startup"), ("label", label), ("median_ms", median), ("min_ms", sorted[0]), ("max_ms", sorted.last!),
        ("runs", repeats), ("rss_at_ready_kib", rss.sorted().last),
    ]))
}

let usage = """
    usage:
      localecs-bench load --url http://127.0.0.1:PORT --workload NAME [--connections 32] [--duration 6] [--warmup 1]
                          [--requests N] [--sign v3|v1] [--key-pairs 10000] [--instances 10000] [--region cn-hangzhou]
                          [--name-prefix P] [--group-offset 0] [--threads 1] [--request-timeout 10] [--label TEXT]
                          [--access-key-id ID] [--access-key-secret S]
      localecs-bench startup [--probe get|ecs-api|ec2-api] [--path /_localecs/health] [--repeat 5] [--timeout 20]
                          [--label TEXT] -- COMMAND ARGS…   ({port} in them is replaced by a free port)
    workloads: \(Workloads.names.joined(separator: ", "))
    limits: ≤ \(Int(Limits.maxDuration)) s, ≤ \(Limits.maxRequests) requests, ≤ \(Limits.maxConnections) connections, 127.0.0.1 only.
    output: a summary on stderr, one JSON line on stdout.
    """

let argv = CommandLine.arguments
if argv.count >= 2, ["-h", "--help", "help"].contains(argv[1]) {
    print(usage)
    exit(0)
}
do {
    guard argv.count >= 2 else { throw BenchError(usage) }
    let args = try Arguments(argv.dropFirst(2))
    switch argv[1] {
    case "load": try await runLoad(args)
    case "startup": try runStartup(args)
    // Hidden: the declaration table as JSON, read by tests/fuzz/wirefuzz.py.
    case "actions-json": print(DeclarationJSON.render())
    default: throw BenchError(usage)
    }
} catch {
    printErr("localecs-bench: \(error)")
    exit(1)
}
