import ECSAPI
import Testing

// MARK: - Helpers

let table = ActionTable(ECSActions.all)

func spec(_ action: String) -> ActionSpec {
    guard let s = table.spec(product: .ecs, action: action) else {
        Issue.record("\(action) is not declared")
        return ActionSpec(action, access: .get, resources: [], params: [])
    }
    return s
}

func parse(_ action: String, _ pairs: [(String, String)]) throws(ECSError) -> Input {
    try InputParser.parse(spec(action), RPCParameters(pairs.map { (name: $0.0, value: $0.1) }))
}

/// The error a parse raises, or nil when it succeeds.
func parseError(_ action: String, _ pairs: [(String, String)]) -> ECSError? {
    do {
        _ = try parse(action, pairs)
        return nil
    } catch {
        return error
    }
}

/// The `invalid` and `tooMany` errors an action declares for one JSON-array parameter.
func declaredArrayErrors(_ action: String, _ param: String) -> (max: Int?, invalid: ECSError, tooMany: ECSError?)? {
    for p in spec(action).params where p.name == param {
        if case .jsonStringArray(let max, let invalid, let tooMany) = p.kind { return (max, invalid, tooMany) }
    }
    return nil
}

/// A JSON array string of the given items (plain IDs, no escaping needed).
func jsonArray(_ items: [String]) -> String {
    "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]"
}

/// A value that satisfies a parameter of this kind.
func validValue(_ kind: ParamKind) -> String {
    switch kind {
    case .integer: return "1"
    case .boolean: return "true"
    case .jsonStringArray: return #"["x-1"]"#
    default: return "cn-hangzhou"
    }
}

struct RequiredParam: CustomTestStringConvertible, Sendable {
    let action: String
    let name: String
    var testDescription: String { "\(action).\(name)" }
}

/// Every (action, required parameter) the table declares.
let requiredParams: [RequiredParam] = ECSActions.all.flatMap { a in
    a.params.filter(\.required).map { RequiredParam(action: a.name, name: $0.name) }
}

// MARK: - Required parameters

@Suite("InputParser: required parameters")
struct RequiredParameterTests {
    /// All required parameters of an action, filled with valid values.
    func fullRequest(_ action: String) -> [(String, String)] {
        spec(action).params.filter(\.required).map { ($0.name, validValue($0.kind)) }
    }

    @Test func tableDeclaresTheDocumentedRequiredParameters() {
        let required = Set(requiredParams.map(\.testDescription))
        for name in ["AttachKeyPair", "DetachKeyPair"] {
            for p in ["RegionId", "KeyPairName", "InstanceIds"] { #expect(required.contains("\(name).\(p)")) }
        }
        #expect(required.contains("DeleteKeyPairs.KeyPairNames"))
        #expect(required.contains("ImportKeyPair.PublicKeyBody"))
        #expect(required.contains("CreateKeyPair.RegionId"))
        #expect(required.contains("StartInstance.InstanceId"))
        // RegionId is not modelled for instance operations that find the instance by ID.
        #expect(!required.contains("StartInstance.RegionId"))
        #expect(!required.contains("DescribeRegions.RegionId"))
    }

    @Test func fullRequestsParse() throws {
        for action in Set(requiredParams.map(\.action)) {
            #expect(parseError(action, fullRequest(action)) == nil, "\(action)")
        }
    }

    @Test(arguments: requiredParams)
    func absentRequiredIsMissingParameter(_ p: RequiredParam) {
        let pairs = fullRequest(p.action).filter { $0.0 != p.name }
        let e = parseError(p.action, pairs)
        #expect(e?.code == "MissingParameter")
        #expect(e?.status == 400)
        #expect(e?.message == "The input parameter \"\(p.name)\" that is mandatory for processing this request is not supplied.")
    }

    @Test(arguments: requiredParams)
    func blankRequiredIsMissingParameter(_ p: RequiredParam) {
        let pairs = fullRequest(p.action).map { $0.0 == p.name ? ($0.0, "") : $0 }
        #expect(parseError(p.action, pairs) == .missingParameter(p.name))
    }

    @Test func detachMissingMessagesNameEachParameter() {
        let ids = #"["i-a"]"#
        #expect(parseError("DetachKeyPair", [("KeyPairName", "k"), ("InstanceIds", ids)])?.message
            == #"The input parameter "RegionId" that is mandatory for processing this request is not supplied."#)
        #expect(parseError("DetachKeyPair", [("RegionId", "cn-hangzhou"), ("InstanceIds", ids)])?.message
            == #"The input parameter "KeyPairName" that is mandatory for processing this request is not supplied."#)
        #expect(parseError("DetachKeyPair", [("RegionId", "cn-hangzhou"), ("KeyPairName", "k")])?.message
            == #"The input parameter "InstanceIds" that is mandatory for processing this request is not supplied."#)
    }

    @Test func lastOccurrenceWinsSoAFormBodyOverridesTheQuery() throws {
        let input = try parse("CreateKeyPair", [("RegionId", "cn-hangzhou"), ("KeyPairName", "fromQuery"), ("KeyPairName", "fromForm")])
        #expect(input.string("KeyPairName") == "fromForm")
    }

    @Test func unknownParametersAreIgnored() throws {
        let input = try parse("DescribeKeyPairs", [("RegionId", "cn-hangzhou"), ("OwnerId", "123"), ("on", "DescribeKeyPairs"),
                                                   ("ResourceOwnerAccount", "x")])
        #expect(input.values.keys.sorted() == ["RegionId"])
    }

    @Test func absentOptionalParametersAreAbsent() throws {
        let input = try parse("DescribeKeyPairs", [("RegionId", "cn-hangzhou"), ("KeyPairName", ""), ("PageSize", "")])
        #expect(input.string("KeyPairName") == nil)
        #expect(input.integer("PageSize") == nil)
        #expect(input.boolean("IncludePublicKey") == nil)
        #expect(input.tags.isEmpty)
    }
}

// MARK: - Scalars

@Suite("InputParser: integers, booleans, strings")
struct ScalarTests {
    func describe(_ extra: (String, String)...) -> [(String, String)] { [("RegionId", "cn-hangzhou")] + extra }

    // PageSize is declared 1...50 with clamping (decisions.md): out-of-range values move to the bound.
    @Test(arguments: [("1", 1), ("50", 50), ("0", 1), ("-3", 1), ("0007", 7), ("+2", 2), ("51", 50),
                      ("9223372036854775807", 50)])
    func integersParse(_ text: String, _ value: Int) throws {
        #expect(try parse("DescribeKeyPairs", describe(("PageSize", text))).integer("PageSize") == value)
    }

    // PageNumber is declared 1...2^31-1 and refused outside it: no request value reaches the
    // paging arithmetic unbounded (issue 9: 10^18 overflowed it and trapped the process).
    @Test(arguments: ["0", "-1", "2147483648", "1000000000000000000", "9223372036854775807", "-9223372036854775808"])
    func integersOutsideTheirRangeAreInvalidParameter(_ text: String) {
        let e = parseError("DescribeKeyPairs", describe(("PageNumber", text)))
        #expect(e?.code == "InvalidParameter")
        #expect(e?.message == #"The specified parameter "PageNumber" is not valid. It must be an integer from 1 to 2147483647."#)
    }

    @Test(arguments: ["abc", "1.5", " 3", "3 ", "1e3", "0x10", "99999999999999999999999", "--1"])
    func nonIntegersAreInvalidParameter(_ text: String) {
        let e = parseError("DescribeKeyPairs", describe(("PageNumber", text)))
        #expect(e?.code == "InvalidParameter")
        #expect(e?.status == 400)
        #expect(e?.message.hasPrefix(#"The specified parameter "PageNumber" is not valid."#) == true)
    }

    @Test(arguments: [("true", true), ("True", true), ("TRUE", true), ("tRuE", true),
                      ("false", false), ("False", false), ("FALSE", false)])
    func booleansParseCaseInsensitively(_ text: String, _ value: Bool) throws {
        #expect(try parse("DescribeKeyPairs", describe(("IncludePublicKey", text))).boolean("IncludePublicKey") == value)
    }

    @Test(arguments: ["1", "0", "yes", "no", "t", " true", "truee"])
    func nonBooleansAreInvalidParameter(_ text: String) {
        let e = parseError("DescribeKeyPairs", describe(("IncludePublicKey", text)))
        #expect(e?.code == "InvalidParameter")
        #expect(e?.message.contains(#""IncludePublicKey""#) == true)
    }

    @Test func stringLengthLimit() throws {
        func importPairs(_ body: String) -> [(String, String)] {
            [("RegionId", "cn-hangzhou"), ("KeyPairName", "k1"), ("PublicKeyBody", body)]
        }
        let atLimit = String(repeating: "a", count: 16384)
        #expect(try parse("ImportKeyPair", importPairs(atLimit)).string("PublicKeyBody") == atLimit)
        let e = parseError("ImportKeyPair", importPairs(atLimit + "a"))
        #expect(e?.code == "InvalidParameter")
        #expect(e?.message.contains(#""PublicKeyBody""#) == true)
    }

    @Test func stringsKeepTheirValueVerbatim() throws {
        let name = " 中文 k:1_2.3-4 "
        #expect(try parse("CreateKeyPair", [("RegionId", "cn-hangzhou"), ("KeyPairName", name)]).string("KeyPairName") == name)
    }
}

// MARK: - JSON-array-string parameters

@Suite("InputParser: JSON-array-string parameters")
struct JSONArrayParameterTests {
    static let documentedInvalid = ECSError(code: "InvalidInstanceIds.ValueNotSupported", status: 400,
                                            message: "The specified parameter InstanceIds is not valid.")
    static let documentedTooMany = ECSError(code: "InstanceKeyPairLimitExceeded", status: 403,
                                            message: "The specified instances are beyond the permitted range.")

    func bind(_ action: String, _ ids: String) -> [(String, String)] {
        [("RegionId", "cn-hangzhou"), ("KeyPairName", "k1"), ("InstanceIds", ids)]
    }
    func bind(_ ids: String) -> [(String, String)] { bind("DetachKeyPair", ids) }

    @Test(arguments: ["AttachKeyPair", "DetachKeyPair"])
    func bindingActionsDeclareTheDocumentedErrors(_ action: String) throws {
        let d = try #require(declaredArrayErrors(action, "InstanceIds"))
        #expect(d.max == 50)
        #expect(d.invalid == Self.documentedInvalid)
        #expect(d.tooMany == Self.documentedTooMany)
    }

    @Test(arguments: [
        #""i-a""#, "i-a", "{}", #"{"a":"b"}"#, "null", "1", #"["i-a""#, #"["i-a",]"#, #"[,"i-a"]"#,
        #"["i-a"] x"#, #"["i-a"]]"#,
    ])
    func notAnArrayOfStringsIsInvalid(_ value: String) {
        #expect(parseError("DetachKeyPair", bind(value)) == Self.documentedInvalid)
        #expect(parseError("AttachKeyPair", bind("AttachKeyPair", value)) == Self.documentedInvalid)
    }

    @Test(arguments: [#"[1]"#, #"["i-a", 2]"#, #"[null]"#, #"[true]"#, #"[["i-a"]]"#, #"[{"id":"i-a"}]"#])
    func nonStringElementsAreInvalid(_ value: String) {
        #expect(parseError("DetachKeyPair", bind(value)) == Self.documentedInvalid)
    }

    @Test(arguments: [#"[""]"#, #"["i-a", ""]"#, #"["", "i-a"]"#])
    func emptyStringElementsAreInvalid(_ value: String) {
        #expect(parseError("DetachKeyPair", bind(value)) == Self.documentedInvalid)
    }

    /// decisions.md: an `InstanceIds` that "is empty" is `InvalidInstanceIds.ValueNotSupported`
    /// (a blank value is MissingParameter; an empty array must not reach the domain).
    @Test(arguments: ["AttachKeyPair", "DetachKeyPair"], ["[]", "[ ]"])
    func emptyArrayIsInvalid(_ action: String, _ value: String) {
        #expect(parseError(action, bind(action, value)) == Self.documentedInvalid)
    }

    @Test func duplicatesCollapseInFirstSeenOrder() throws {
        let input = try parse("DetachKeyPair", bind(#"["i-b","i-a","i-b","i-c","i-a","i-c"]"#))
        #expect(input.list("InstanceIds") == ["i-b", "i-a", "i-c"])
    }

    @Test func fiftyDistinctAreAllowedEvenWithDuplicates() throws {
        let ids = (1...50).map { "i-\($0)" }
        let input = try parse("AttachKeyPair", bind("AttachKeyPair", jsonArray(ids + ids.reversed() + ["i-7"])))
        #expect(input.list("InstanceIds") == ids)
    }

    @Test(arguments: ["AttachKeyPair", "DetachKeyPair"])
    func moreThanFiftyDistinctIsTooMany(_ action: String) {
        let ids = (1...51).map { "i-\($0)" }
        #expect(parseError(action, bind(action, jsonArray(ids))) == Self.documentedTooMany)
    }

    @Test func tooManyIsCheckedAfterValidity() {
        // 60 items, one of them empty: the array is invalid whatever its length.
        let ids = (1...59).map { "i-\($0)" } + [""]
        #expect(parseError("DetachKeyPair", bind(jsonArray(ids))) == Self.documentedInvalid)
    }

    @Test func deleteKeyPairsUsesItsOwnDeclaredErrors() throws {
        let d = try #require(declaredArrayErrors("DeleteKeyPairs", "KeyPairNames"))
        #expect(d.max == 100)
        #expect(d.invalid.code == "InvalidKeyPairNames.ValueNotSupported")
        #expect(d.invalid.message == #"The specified parameter "KeyPairNames" is not valid."#)
        #expect(d.tooMany?.code == "InstanceKeyPairLimitExceeded")
        #expect(d.tooMany?.status == 403)
        func del(_ v: String) -> [(String, String)] { [("RegionId", "cn-hangzhou"), ("KeyPairNames", v)] }
        #expect(parseError("DeleteKeyPairs", del("key1")) == d.invalid)
        #expect(parseError("DeleteKeyPairs", del(#"["k", 1]"#)) == d.invalid)
        let hundred = (1...100).map { "k\($0)" }
        #expect(try parse("DeleteKeyPairs", del(jsonArray(hundred))).list("KeyPairNames") == hundred)
        #expect(parseError("DeleteKeyPairs", del(jsonArray(hundred + ["k101"]))) == d.tooMany)
    }

    @Test func describeInstancesDeclaresItsErrorAndIsOptional() throws {
        let d = try #require(declaredArrayErrors("DescribeInstances", "InstanceIds"))
        #expect(d.max == 100)
        func desc(_ v: String) -> [(String, String)] { [("RegionId", "cn-hangzhou"), ("InstanceIds", v)] }
        #expect(parseError("DescribeInstances", desc("i-a")) == d.invalid)
        #expect(parseError("DescribeInstances", desc(jsonArray((1...101).map { "i-\($0)" }))) == d.tooMany ?? d.invalid)
        #expect(try parse("DescribeInstances", [("RegionId", "cn-hangzhou")]).list("InstanceIds") == nil)
        #expect(try parse("DescribeInstances", desc(#" [ "i-a" , "i-b" ] "#)).list("InstanceIds") == ["i-a", "i-b"])
    }
}

// MARK: - Tags and repeat lists

@Suite("InputParser: Tag.N and repeat lists")
struct RepeatListTests {
    func create(_ extra: [(String, String)]) -> [(String, String)] {
        [("RegionId", "cn-hangzhou"), ("KeyPairName", "k1")] + extra
    }

    @Test func tagsReassembleOutOfOrder() throws {
        let input = try parse("CreateKeyPair", create([
            ("Tag.3.Value", "v3"), ("Tag.10.Key", "j"), ("Tag.1.Value", "v1"), ("Tag.2.Key", "b"),
            ("Tag.3.Key", "c"), ("Tag.1.Key", "a"), ("Tag.10.Value", "v10"),
        ]))
        #expect(input.tags == [Tag(key: "a", value: "v1"), Tag(key: "b", value: ""), Tag(key: "c", value: "v3"),
                               Tag(key: "j", value: "v10")])
    }

    @Test func tagValueWithoutKeyIsMalformed() {
        let e = parseError("CreateKeyPair", create([("Tag.1.Key", "a"), ("Tag.2.Value", "orphan")]))
        #expect(e?.code == "InvalidTagKey.Malformed")
        #expect(e?.status == 400)
    }

    @Test func emptyTagKeyIsMalformed() {
        #expect(parseError("CreateKeyPair", create([("Tag.1.Key", ""), ("Tag.1.Value", "v")]))?.code == "InvalidTagKey.Malformed")
    }

    @Test func tagIndexZeroIsMalformed() {
        #expect(parseError("CreateKeyPair", create([("Tag.0.Key", "a")]))?.code == "InvalidTagKey.Malformed")
    }

    @Test func noTagsMeansNoTagValue() throws {
        let input = try parse("CreateKeyPair", create([("TagKey", "x"), ("Tags", "y")]))
        #expect(input.tags.isEmpty)
        #expect(input.values["Tag"] == nil)
    }

    @Test func repeatListReassemblesInIndexOrderAndCollapsesDuplicates() throws {
        let input = try parse("DescribeInstanceTypes", [
            ("InstanceTypes.3", "ecs.c7.large"), ("InstanceTypes.1", "ecs.g7.large"), ("InstanceTypes.10", "ecs.r7.large"),
            ("InstanceTypes.2", "ecs.g7.large"),
        ])
        #expect(input.list("InstanceTypes") == ["ecs.g7.large", "ecs.c7.large", "ecs.r7.large"])
    }

    @Test func repeatListOverItsMaximumIsInvalid() throws {
        let ten = (1...10).map { ("InstanceTypes.\($0)", "t\($0)") }
        #expect(try parse("DescribeInstanceTypes", ten).list("InstanceTypes")?.count == 10)
        let e = parseError("DescribeInstanceTypes", ten + [("InstanceTypes.11", "t11")])
        #expect(e?.code == "InvalidParameter")
        #expect(e?.message.contains(#""InstanceTypes""#) == true)
    }

    @Test func instanceStatusTakesInstanceIdN() throws {
        let input = try parse("DescribeInstanceStatus", [("RegionId", "cn-hangzhou"), ("InstanceId.2", "i-b"), ("InstanceId.1", "i-a")])
        #expect(input.list("InstanceId") == ["i-a", "i-b"])
        #expect(try parse("DescribeInstanceStatus", [("RegionId", "cn-hangzhou")]).list("InstanceId") == nil)
    }
}

// MARK: - RPCParameters and the table

@Suite("RPCParameters and ActionTable")
struct TableTests {
    @Test func lookupTakesTheLastOccurrenceButKeepsAllPairs() {
        let p = RPCParameters([(name: "a", value: "1"), (name: "b", value: "2"), (name: "a", value: "3")])
        #expect(p["a"] == "3")
        #expect(p["b"] == "2")
        #expect(p["c"] == nil)
        #expect(p.pairs.map(\.value) == ["1", "2", "3"])
    }

    @Test func tableFindsByProductAndName() {
        #expect(table.spec(product: .ecs, action: "DetachKeyPair")?.ramAction == "ecs:DetachKeyPair")
        #expect(table.spec(product: .ecs, action: "detachkeypair") == nil)
        #expect(table.spec(product: .ram, action: "DetachKeyPair") == nil)
        #expect(table.has(product: .ecs))
        #expect(Product(rawValue: "2014-05-26") == .ecs)
    }

    @Test func everyActionIsDeclaredOnce() {
        let names = ECSActions.all.map(\.name)
        #expect(Set(names).count == names.count)
    }
}
