import ECSAPI
import Foundation
import Testing

/// The RAM table generated from the declaration matches the seed's own (`docs/seed-DetachKeyPair.txt`).
@Suite("RAM table")
struct RAMTableTests {
    /// The seed table's cells, in reading order, between its header row and "Request parameters".
    static func seedCells() throws -> [String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/seed-DetachKeyPair.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let header = try #require(lines.firstIndex(of: "Dependent action").map { $0 + 1 })
        let end = try #require(lines[header...].firstIndex(of: "Request parameters"))
        return lines[header..<end].flatMap { $0.split(separator: " ").map(String.init) }
    }

    @Test func detachKeyPairRowMatchesTheSeed() throws {
        let t = RAMTable(ECSActions.detachKeyPair)
        var generated = [t.action, t.accessLevel]
        for r in t.resourceTypes { generated += [(r.required ? "*" : "") + r.name, r.arn] }
        generated.append(t.conditionKeys.isEmpty ? "None" : t.conditionKeys.joined(separator: ","))
        generated.append(t.dependentActions.isEmpty ? "None" : t.dependentActions.joined(separator: ","))
        #expect(generated == (try Self.seedCells()))
    }

    @Test func textTableStarsRequiredTypesAndSaysNone() {
        let text = RAMTable(ECSActions.detachKeyPair).text()
        #expect(text.contains("ecs:DetachKeyPair  update"))
        #expect(text.contains("*Instance  acs:ecs:{#regionId}:{#accountId}:instance/{#instanceId}"))
        #expect(text.contains("*KeyPair  acs:ecs:{#regionId}:{#accountId}:keypair/{#keypairName}"))
        let firstRow = text.split(separator: "\n")[1].split(separator: " ")
        #expect(firstRow.suffix(2) == ["None", "None"])
        let all = RAMTable(ECSActions.describeRegions)
        #expect(all.resourceTypes.map(\.name) == ["All Resources"] && all.resourceTypes[0].required == false)
        #expect(RAMTable(ActionTrailActions.lookupEvents).action == "actiontrail:LookupEvents")
    }

    @Test func everyDeclaredActionHasATableInTheJSON() throws {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(DeclarationJSON.render().utf8)) as? [String: Any])
        let actions = try #require(root["Actions"] as? [[String: Any]])
        for a in actions {
            let ram = try #require(a["RAM"] as? [String: Any])
            #expect((ram["Action"] as? String)?.hasSuffix(":" + (a["Name"] as? String ?? "?")) == true)
            #expect((ram["ResourceTypes"] as? [Any])?.isEmpty == false)
        }
    }
}
