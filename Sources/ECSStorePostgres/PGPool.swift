import ECSStore
import Foundation

/// A fixed set of threads, each owning one connection, taking jobs from one FIFO queue.
///
/// libpq calls block, so they run here and never on Swift's cooperative pool: a caller awaits
/// a continuation that the worker resumes. A worker connects lazily, on its first job.
final class PGPool: @unchecked Sendable {
    typealias Job = (PGConnection) -> Void

    private let condition = NSCondition()
    private var jobs: [Job?] = []
    private var head = 0
    private var stopped = false
    private var running: Int
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []

    init(url: String, size: Int) {
        running = size
        for i in 0..<size {
            let conn = PGConnection(url: url)
            let thread = Thread { [self] in self.work(conn) }
            thread.name = "localecs.pg.\(i)"
            thread.start()
        }
    }

    /// Runs `body` on a worker thread with its connection.
    /// - Throws: what `body` throws; `StoreError.unavailable` once the pool is closed.
    func run<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, any Error>) in
            condition.lock()
            if stopped {
                condition.unlock()
                cont.resume(throwing: StoreError.unavailable("the store is closed"))
                return
            }
            jobs.append { conn in cont.resume(with: Result { try body(conn) }) }
            condition.signal()
            condition.unlock()
        }
    }

    /// Lets queued jobs finish, then ends the workers and closes their connections.
    func close() async {
        await withCheckedContinuation { (cont: CheckedContinuation<Void, Never>) in
            condition.lock()
            stopped = true
            if running == 0 {
                condition.unlock()
                cont.resume()
                return
            }
            closeWaiters.append(cont)
            condition.broadcast()
            condition.unlock()
        }
    }

    private func work(_ conn: PGConnection) {
        while let job = next() { job(conn) }
        conn.close()
        condition.lock()
        running -= 1
        let waiters = running == 0 ? closeWaiters : []
        if running == 0 { closeWaiters.removeAll() }
        condition.unlock()
        for w in waiters { w.resume() }
    }

    private func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count && !stopped { condition.wait() }
        guard head < jobs.count else { return nil }
        let job = jobs[head]
        jobs[head] = nil
        head += 1
        if head > 64 && head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }
}
