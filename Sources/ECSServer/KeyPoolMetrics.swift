import ECSKeys

/// The key pool on `/metrics`: how many keys wait, how often a call found none.
enum KeyPoolMetrics {
    static func observe(_ pool: KeyPool, on telemetry: Telemetry) {
        telemetry.observe(MetricsSource(name: "localecs_key_pool_ready", unit: "",
                                        help: "RSA keys made ahead of time and waiting for CreateKeyPair.", kind: .gauge) { pool.ready })
        telemetry.observe(MetricsSource(name: "localecs_key_pool_misses", unit: "total",
                                        help: "CreateKeyPair calls that found the key pool empty and generated their key inline.",
                                        kind: .counter) { pool.misses })
    }
}
