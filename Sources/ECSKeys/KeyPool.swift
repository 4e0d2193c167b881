import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RSA 2048 key pairs made ahead of time, so that CreateKeyPair need not wait ~45 ms of CPU.
///
/// Keys live in this process's memory only (never stored, never logged); each is handed out once
/// and its private key's bytes are overwritten as it leaves. A `take()` on an empty pool generates
/// inline (a miss): the pool makes CreateKeyPair faster, never fail.
///
/// When it fills: not at start-up (a test suite that starts many short-lived servers must not pay
/// for keys it never asks for), but once keys are asked for, and in proportion to the demand
/// seen: the filler aims at `min(capacity, max(16, 8 × keys handed out so far))`. One
/// CreateKeyPair costs 16 keys of background work; 125 of them make the pool aim at 1,000.
/// The filler is one thread at the lowest scheduling priority (nice 19), so it takes the CPU
/// only when nothing else wants it.
public final class KeyPool: Sendable {
    /// A key pair ready to hand out. Its private key stays in bytes it can overwrite.
    struct Pooled: Sendable {
        var privateKeyPEM: [UInt8]
        var publicKey: String
        var fingerprint: String
    }

    struct State {
        var keys: [Pooled] = []
        var target = 0
        var handedOut = 0
        var misses = 0
        var generated = 0
        var stopped = false
    }

    /// What the filler thread shares with the pool, so that the thread does not keep the pool alive.
    final class Shared: Sendable {
        let state = Mutex(State())
        let wake = DispatchSemaphore(value: 0)
        let capacity: Int
        let generate: @Sendable () throws -> Pooled
        init(capacity: Int, generate: @escaping @Sendable () throws -> Pooled) {
            self.capacity = capacity; self.generate = generate
        }
    }

    /// The most keys the pool holds.
    public let capacity: Int
    let shared: Shared

    /// Keys the pool aims at after the first demand, whatever the demand.
    public static let minimumTarget = 16
    /// How many keys the pool aims to hold per key handed out so far.
    public static let demandFactor = 8

    /// - Parameter capacity: 1 or more (a server with no pool passes none: see `KeyPairService`).
    public convenience init(capacity: Int) {
        self.init(capacity: capacity, generate: { try KeyPool.pooledRSA2048() })
    }

    init(capacity: Int, generate: @escaping @Sendable () throws -> Pooled) {
        self.capacity = max(capacity, 1)
        shared = Shared(capacity: self.capacity, generate: generate)
        let shared = self.shared
        let thread = Thread { KeyPool.fill(shared) }
        thread.name = "localecs-key-pool"
        thread.start()
    }

    deinit {
        var left = shared.state.withLock { s in
            s.stopped = true
            defer { s.keys = [] }
            return s.keys
        }
        shared.wake.signal()
        for i in left.indices { _ = KeyPool.handOut(&left[i]) }
    }

    /// Keys ready now.
    public var ready: Int { shared.state.withLock { $0.keys.count } }
    /// Calls that found the pool empty and generated inline.
    public var misses: Int { shared.state.withLock { $0.misses } }
    /// Keys the filler aims to hold now (0 until the first `take()`).
    public var target: Int { shared.state.withLock { $0.target } }

    /// A key pair no one else has had or will have: from the pool, or generated now if it is empty.
    public func take() throws -> GeneratedKeyPair {
        let capacity = self.capacity
        let pooled: Pooled? = shared.state.withLock { s in
            s.handedOut += 1
            let (scaled, overflow) = s.handedOut.multipliedReportingOverflow(by: Self.demandFactor)
            s.target = min(capacity, max(s.target, Self.minimumTarget, overflow ? capacity : scaled))
            if let key = s.keys.popLast() { return key }
            s.misses += 1
            return nil
        }
        shared.wake.signal()
        var key = try pooled ?? shared.generate()
        return KeyPool.handOut(&key)
    }

    /// The key as `GeneratedKeyPair`, its private key's pooled bytes overwritten.
    static func handOut(_ key: inout Pooled) -> GeneratedKeyPair {
        let pem = String(decoding: key.privateKeyPEM, as: UTF8.self)
        key.privateKeyPEM.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices { buffer[i] = 0 }
        }
        key.privateKeyPEM = []
        return GeneratedKeyPair(privateKeyPEM: pem, publicKey: key.publicKey, fingerprint: key.fingerprint)
    }

    static func pooledRSA2048() throws -> Pooled {
        let (pem, publicKey, fingerprint) = try KeyGenerator.rsa2048Parts()
        return Pooled(privateKeyPEM: pem, publicKey: publicKey, fingerprint: fingerprint)
    }

    /// The filler thread's loop: generate while below target, else sleep until a `take()` or the end.
    static func fill(_ shared: Shared) {
        lowerPriority()
        while true {
            let (stopped, wanted) = shared.state.withLock { s in (s.stopped, s.keys.count < s.target) }
            if stopped { return }
            if !wanted { shared.wake.wait(); continue }
            // A failing generator would fail again at once: wait for the next take instead of spinning.
            guard var key = try? shared.generate() else { shared.wake.wait(); continue }
            let kept = shared.state.withLock { s in
                guard !s.stopped, s.keys.count < shared.capacity else { return false }
                s.keys.append(key)
                s.generated += 1
                return true
            }
            if !kept { _ = handOut(&key) }  // overwrite what no one will take
        }
    }

    /// nice 19 for the calling thread only: on Linux the nice value is per thread, and `who` 0
    /// names the caller (elsewhere it would be the whole process, so it is left alone there).
    static func lowerPriority() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
    }
}
