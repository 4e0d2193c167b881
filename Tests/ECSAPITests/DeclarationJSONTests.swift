import ECSAPI
import Foundation
import Testing

/// The wire fuzzer generates requests from this rendering: it must list every action and keep kinds and limits.
@Test func declarationJSONListsEveryActionWithKindsAndLimits() throws {
    let data = Data(DeclarationJSON.render().utf8)
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let actions = try #require(root["Actions"] as? [[String: Any]])
    #expect(actions.count == ECSActions.all.count + RAMActions.all.count + STSActions.all.count + ActionTrailActions.all.count
                + VPCActions.all.count)
    let byName = Dictionary(actions.map { ("\($0["Version"]!)/\($0["Name"]!)", $0) }, uniquingKeysWith: { a, _ in a })
    let params = try #require(byName["2015-05-01/CreateRole"]?["Params"] as? [[String: Any]])
    let duration = try #require(params.first { $0["Name"] as? String == "MaxSessionDuration" })
    #expect(duration["Kind"] as? String == "integer" && duration["Min"] as? Int == 3600 && duration["Max"] as? Int == 43200)
    let deleteParams = try #require(byName["2014-05-26/DeleteKeyPairs"]?["Params"] as? [[String: Any]])
    let names = try #require(deleteParams.first { $0["Name"] as? String == "KeyPairNames" })
    #expect(names["Kind"] as? String == "jsonStringArray" && names["MaxItems"] as? Int == 100)
    #expect(names["Required"] as? Bool == true && names["NonEmpty"] as? Bool == true)
}
