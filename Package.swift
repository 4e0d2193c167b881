// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "localecs",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "localecs", targets: ["localecs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // C shims over the system libraries (libsqlite3-dev, libpq-dev, libssh-dev).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CLibSSH", pkgConfig: "libssh", providers: [.apt(["libssh-dev"]), .brew(["libssh"])]),

        .target(name: "ECSCalendar", swiftSettings: swiftSettings),
        .target(name: "ECSAPI", swiftSettings: swiftSettings),
        .target(name: "ECSSignature", dependencies: [
            "ECSCalendar",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: swiftSettings),
        .target(name: "ECSPolicy", dependencies: ["ECSCalendar"], swiftSettings: swiftSettings),
        .target(name: "ECSKeys", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CryptoExtras", package: "swift-crypto"),
        ], swiftSettings: swiftSettings),
        .target(name: "ECSStore", swiftSettings: swiftSettings),
        .target(name: "ECSDomain", dependencies: ["ECSCalendar", "ECSStore", "ECSKeys", "ECSPolicy"], swiftSettings: swiftSettings),
        .target(name: "ECSStoreSQLite", dependencies: ["ECSStore", "CSQLite"], swiftSettings: swiftSettings),
        .target(name: "ECSStorePostgres", dependencies: ["ECSStore", "CLibPQ"], swiftSettings: swiftSettings),
        .target(name: "ECSSSH", dependencies: ["CLibSSH", "ECSDomain", "ECSStore"], swiftSettings: swiftSettings),
        .target(name: "ECSServer", dependencies: [
            "ECSAPI", "ECSSignature", "ECSPolicy", "ECSKeys", "ECSDomain", "ECSStore", "ECSStoreSQLite", "ECSStorePostgres", "ECSSSH",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], swiftSettings: swiftSettings),
        .executableTarget(name: "localecs", dependencies: [
            "ECSServer", "ECSSSH",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: swiftSettings),
        .executableTarget(name: "localecs-bench", dependencies: [
            "ECSAPI", "ECSSignature",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),

        .testTarget(name: "ECSAPITests", dependencies: ["ECSAPI"]),
        .testTarget(name: "ECSSignatureTests", dependencies: ["ECSSignature"]),
        .testTarget(name: "ECSPolicyTests", dependencies: ["ECSPolicy"]),
        .testTarget(name: "ECSKeysTests", dependencies: ["ECSKeys"]),
        .testTarget(name: "ECSDomainTests", dependencies: ["ECSDomain", "ECSStoreSQLite"]),
        .testTarget(name: "ECSStoreTests", dependencies: ["ECSStore", "ECSStoreSQLite", "ECSStorePostgres", "ECSDomain"]),
        .testTarget(name: "ECSServerTests", dependencies: [
            "ECSServer",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ]
)

// libFuzzer targets (Fuzz/<Name>/main.swift), declared only when LOCALECS_FUZZ=1 so that ordinary
// builds and tests never compile them; scripts/fuzz builds them with -sanitize=fuzzer.
if Context.environment["LOCALECS_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependency: Target.Dependency)] = [
        ("FormDecoding", "ECSAPI"), ("InputParser", "ECSAPI"), ("JSONStringArray", "ECSAPI"),
        ("PublicKey", "ECSKeys"), ("Policy", "ECSPolicy"), ("V3Authorization", "ECSSignature"),
    ]
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/Driver"))
    for t in fuzzTargets {
        package.targets.append(.executableTarget(name: "fuzz-" + t.name, dependencies: ["FuzzDriver", t.dependency],
                                                 path: "Fuzz/" + t.name, swiftSettings: swiftSettings))
    }
}
