import ECSDomain
import ECSStoreSQLite
import Foundation
import Testing

@Suite("Fault rules")
struct FaultRuleTests {
    func rule(_ json: String) throws -> FaultRule { try FaultRule.decode(Data(json.utf8)) }

    func call(action: String = "DetachKeyPair", caller: Caller = Caller(accountId: "1000000000000001", accessKeyId: "AK1"),
              region: String? = "cn-hangzhou", params: [String: String] = [:]) -> FaultCall {
        FaultCall(product: "ecs", version: "2014-05-26", action: action, caller: caller, region: region, parameter: { params[$0] })
    }

    @Test func defaultsAndValidation() throws {
        let r = try rule("{}").validated(now: 0)
        #expect(r.effect == .error(code: "ServiceUnavailable", status: 503,
                                   message: "The request has failed due to a temporary failure of the server.", retryAfterMs: nil))
        #expect(try rule(#"{"Code":"Throttling.User","RetryAfterMs":20}"#).validated(now: 0).effect
            == .error(code: "Throttling.User", status: 400, message: "Request was denied due to user flow control.", retryAfterMs: 20))
        let refused: [(String, String)] = [
            (#"{"Code":"Odd"}"#, "Status is required"), (#"{"Status":302}"#, "Status must be 400 to 599"),
            (#"{"Drop":true,"LatencyMs":3}"#, "one effect"), (#"{"Drop":false}"#, "no effect"),
            (#"{"Probability":0}"#, "Probability must be"), (#"{"Count":-1}"#, "Count must be"),
            (#"{"DurationSeconds":0}"#, "DurationSeconds must be"), (#"{"StartsAt":10,"EndsAt":10}"#, "EndsAt must be after"),
            (#"{"Seed":1,"Probability":0.5,"Action":""}"#, "Action must be"), (#"{"RetryAfterMs":0}"#, "RetryAfterMs must be"),
            (#"{"StartsAt":9223372036854775807,"DurationSeconds":5}"#, "StartsAt must be"), (#"{"EndsAt":-1}"#, "EndsAt must be 0"),
        ]
        for (json, fragment) in refused {
            #expect(throws: FaultRuleError.self, "\(json)") { try rule(json).validated(now: 0) }
            do { _ = try rule(json).validated(now: 0) } catch { #expect("\(error)".contains(fragment), "\(json): \(error)") }
        }
        #expect(throws: FaultRuleError.self) { try rule("[]") }
        #expect(throws: FaultRuleError.self) { try rule(#"{"Count":1e40}"#) }
        // A probability without a seed gets one, so the rule's draws can be replayed.
        #expect(try rule(#"{"Probability":0.3}"#).validated(now: 0).seed != nil)
        #expect(try rule(#"{"DurationSeconds":5}"#).validated(now: 1000).endsAt == 6000)
    }

    @Test func filters() throws {
        let user = Caller(accountId: "1000000000000001", accessKeyId: "AKU", userName: "alice")
        #expect(try rule(#"{"Action":"*KeyPair"}"#).matches(call()))
        #expect(try !rule(#"{"Action":"*KeyPairs"}"#).matches(call()))
        #expect(try rule(#"{"Product":"ECS"}"#).matches(call()))
        #expect(try rule(#"{"Product":"2014-05-26"}"#).matches(call()))
        #expect(try !rule(#"{"Product":"ram"}"#).matches(call()))
        #expect(try rule(#"{"Principal":"alice"}"#).matches(call(caller: user)))
        #expect(try rule(#"{"Principal":"AKU"}"#).matches(call(caller: user)))
        #expect(try !rule(#"{"Principal":"alice"}"#).matches(call()))
        #expect(try rule(#"{"Principal":"root"}"#).matches(call()))
        #expect(try !rule(#"{"Account":"1000000000000002"}"#).matches(call()))
        #expect(try !rule(#"{"Region":"cn-beijing"}"#).matches(call()))
        #expect(try !rule(#"{"Region":"cn-beijing"}"#).matches(call(region: nil)))
        let detach = call(params: ["InstanceIds": #"["i-a","i-b"]"#])
        #expect(try rule(#"{"Parameter":"InstanceIds","ParameterContains":"i-b"}"#).matches(detach))
        #expect(try !rule(#"{"Parameter":"InstanceIds","ParameterContains":"i-c"}"#).matches(detach))
        #expect(try rule(#"{"Parameter":"InstanceIds"}"#).matches(detach))
        #expect(try !rule(#"{"Parameter":"KeyPairName"}"#).matches(detach))
    }

    @Test func frequency() throws {
        let counted = try rule(#"{"Count":2}"#)
        #expect(counted.fires(sequence: 1, hits: 0) && counted.fires(sequence: 2, hits: 1) && !counted.fires(sequence: 3, hits: 2))
        let p = try rule(#"{"Probability":0.25,"Seed":42}"#)
        let first = (1...4000).map { p.fires(sequence: Int64($0), hits: 0) }
        #expect(first == (1...4000).map { p.fires(sequence: Int64($0), hits: 0) })
        let share = Double(first.filter { $0 }.count) / 4000
        #expect(abs(share - 0.25) < 0.03, "\(share)")
        let other = try rule(#"{"Probability":0.25,"Seed":43}"#)
        #expect(first != (1...4000).map { other.fires(sequence: Int64($0), hits: 0) })
        let window = try rule(#"{"StartsAt":100,"EndsAt":200}"#)
        #expect(!window.isActive(at: 99) && window.isActive(at: 100) && window.isActive(at: 199) && !window.isActive(at: 200))
    }

    @Test(arguments: StoreKind.allCases)
    func serviceCountsHitsInTheStore(_ kind: StoreKind) async throws {
        let fixture = try Fixture(kind)
        defer { if let path = fixture.path { removeDatabase(path) } }
        let faults = FaultService(store: fixture.store, clock: fixture.clock)
        let added = try await faults.add(try rule(#"{"Action":"DetachKeyPair","Count":2}"#))
        var hits = 0
        for _ in 0..<5 {
            for c in try await faults.candidates(call()) where try await faults.hit(c.record.id) { hits += 1 }
        }
        #expect(hits == 2)
        let listed = try await faults.list()
        #expect(listed.map(\.record.id) == [added.record.id] && listed[0].record.hits == 2 && listed[0].record.matched == 2)
        #expect(try await faults.candidates(call(action: "AttachKeyPair")).isEmpty)
        #expect(try await faults.delete(id: added.record.id))
        #expect(try await !faults.delete(id: added.record.id))
        _ = try await faults.add(try rule("{}"))
        #expect(try await faults.clear() == 1)
        #expect(try await faults.candidates(call()).isEmpty)
        await fixture.store.close()
    }
}
