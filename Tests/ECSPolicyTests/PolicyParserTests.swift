import Testing
import ECSPolicy

/// The message of the error `parse` throws, or nil if it accepts the document.
private func parseError(_ json: String) -> PolicyError? {
    do {
        _ = try PolicyParser.parse(json)
        return nil
    } catch {
        return error
    }
}

@Suite("Policy parser: accepted documents")
struct PolicyParserAcceptTests {
    @Test("full grammar with lists, Sid and conditions")
    func fullDocument() throws {
        let doc = try PolicyParser.parse("""
        {
          "Version": "1",
          "Statement": [
            {
              "Sid": "KeyPairsFromOffice",
              "Effect": "Allow",
              "Action": ["ecs:*KeyPair*", "ecs:Describe*"],
              "Resource": ["acs:ecs:*:*:keypair/*", "acs:ecs:*:*:instance/i-a*"],
              "Condition": {
                "IpAddress": {"acs:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
                "Bool": {"acs:SecureTransport": "true"}
              }
            },
            {"Effect": "Deny", "NotAction": "ecs:Describe*", "Resource": "*"}
          ]
        }
        """)
        #expect(doc.version == "1")
        #expect(doc.statements.count == 2)
        let s0 = doc.statements[0]
        #expect(s0.sid == "KeyPairsFromOffice")
        #expect(s0.effect == .allow)
        #expect(s0.actions == .actions(["ecs:*KeyPair*", "ecs:Describe*"]))
        #expect(s0.resources == ["acs:ecs:*:*:keypair/*", "acs:ecs:*:*:instance/i-a*"])
        #expect(s0.conditions.map(\.operator) == [.ipAddress, .bool])
        #expect(s0.conditions.map(\.key) == ["acs:SourceIp", "acs:SecureTransport"])
        #expect(s0.conditions[0].values == ["10.0.0.0/8", "2001:db8::/32"])
        #expect(s0.conditions[1].values == ["true"])
        let s1 = doc.statements[1]
        #expect(s1.effect == .deny)
        #expect(s1.actions == .notActions(["ecs:Describe*"]))
        #expect(s1.resources == ["*"])
        #expect(s1.conditions.isEmpty)
        #expect(s1.sid == nil)
    }

    @Test("Statement may be a single object")
    func singleStatementObject() throws {
        let doc = try PolicyParser.parse(#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"},"Version":"1"}"#)
        #expect(doc.statements == [Statement(effect: .allow, actions: .actions(["*"]), resources: ["*"])])
    }

    @Test("canonical JSON reads back to an equal document")
    func roundTrip() throws {
        let text = #"""
        {"Version":"1","Statement":[{"Sid":"a\"b","Effect":"Deny","NotAction":["ecs:Describe*","vpc:*"],
         "Resource":"acs:ecs:cn-hangzhou:123:instance/*",
         "Condition":{"StringLike":{"acs:SourceVpc":["vpc-*"],"acs:UserAgent":"aliyun-cli*"},
                      "DateLessThan":{"acs:CurrentTime":"2026-12-31T00:00:00+08:00"},
                      "NumericGreaterThan":{"ecs:Count":"5"}}}]}
        """#
        let doc = try PolicyParser.parse(text)
        let again = try PolicyParser.parse(doc.jsonText)
        #expect(again == doc)
        #expect(doc.jsonText.hasPrefix(#"{"Version":"1","Statement":[{"Sid":"a\"b","Effect":"Deny","NotAction":["#))
    }

    @Test("a document of exactly 6144 characters is accepted; the limit counts characters, not bytes")
    func sizeLimitBoundary() throws {
        let head = #"{"Version":"1","Statement":[{"Sid":""#
        let tail = #"","Effect":"Allow","Action":"*","Resource":"*"}]}"#
        let exact = head + String(repeating: "é", count: 6144 - head.count - tail.count) + tail
        #expect(exact.count == 6144)
        #expect(exact.utf8.count > 6144)
        _ = try PolicyParser.parse(exact)
    }

    @Test("session-policy style shorter limit")
    func customLimit() {
        let doc = #"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        #expect(throws: PolicyError.malformed("document is longer than 20 characters (it has \(doc.count))")) {
            try PolicyParser.parse(doc, maxLength: 20)
        }
    }

    @Test("valid action and resource shapes", arguments: [
        "*", "ecs:*", "*:*", "ecs:Describe*", "ecs:?escribeInstances", "ecs-workbench:LoginInstance", "oss:Get_Object.v2",
    ])
    func validActions(action: String) {
        #expect(parseError(#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"\#(action)","Resource":"*"}]}"#) == nil)
    }

    @Test("valid resources", arguments: [
        "*", "acs:ecs:*:*:*", "acs:ecs:cn-hangzhou:123456:instance/i-abc", "acs:ram::123:role/admin", "acs:oss:*:*:bucket/a:b:c",
    ])
    func validResources(resource: String) {
        #expect(parseError(#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"\#(resource)"}]}"#) == nil)
    }
}

@Suite("Policy parser: malformed documents")
struct PolicyParserRejectTests {
    static let cases: [(String, String)] = [
        // JSON and document shape
        ("", "document is empty"),
        ("{", "document is not valid JSON: unexpected end of document at line 1, column 2"),
        (#"{"Version":"1",}"#, "document is not valid JSON: expected a quoted member name at line 1, column 16"),
        ("{\"Version\":\"1\",\n \"Statement\": [} ", "document is not valid JSON: unexpected character '}' at line 2, column 16"),
        (#"{"Version":"1"} x"#, "document is not valid JSON: unexpected text after the end of the document at line 1, column 17"),
        (#"{"Version":"1","Version":"1"}"#, #"document is not valid JSON: duplicate member "Version" at line 1, column 16"#),
        (#"["Version"]"#, "document must be a JSON object, not an array"),
        (#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#, #"Version is required and must be "1""#),
        (#"{"Version":"2012-10-17","Statement":[]}"#, #"Version must be "1""#),
        (#"{"Version":1,"Statement":[]}"#, #"Version must be the string "1", not a number"#),
        (#"{"Version":"1"}"#, "Statement is required"),
        (#"{"Version":"1","Statement":[]}"#, "Statement must not be empty"),
        (#"{"Version":"1","Statement":"Allow"}"#, "Statement must be an object or an array of objects, not a string"),
        (#"{"Version":"1","Statement":[1]}"#, "Statement[0] must be an object, not a number"),
        (#"{"Version":"1","Id":"x","Statement":[]}"#, "unknown top-level element Id (allowed: Version, Statement)"),
        // statement elements
        (#"{"Version":"1","Statement":[{"Action":"*","Resource":"*"}]}"#, "Statement[0].Effect is required (Allow or Deny)"),
        (#"{"Version":"1","Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}"#, "Statement[0].Effect must be Allow or Deny"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Resource":"*"}]}"#, "Statement[0] must have Action or NotAction"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","NotAction":"ecs:*","Resource":"*"}]}"#, "Statement[0] must not have both Action and NotAction"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*"}]}"#, "Statement[0].Resource is required"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","NotResource":"*"}]}"#, "Statement[0]: NotResource is not supported; list the resources in Resource"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Principal":{"RAM":"*"}}]}"#, "Statement[0]: Principal is only allowed in resource-based policies, not in a RAM policy"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","effect":"Deny"}]}"#, "Statement[0]: unknown element effect (allowed: Sid, Effect, Action, NotAction, Resource, Condition)"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Sid":7}]}"#, "Statement[0].Sid must be a string"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"DescribeInstances","Resource":"*"}]}"#, #"Statement[1].Action "DescribeInstances" must be "*" or look like service:ApiName (wildcards * and ? allowed)"#),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:A","ecs:B C"],"Resource":"*"}]}"#, #"Statement[0].Action[1] "ecs:B C" must be "*" or look like service:ApiName (wildcards * and ? allowed)"#),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","NotAction":"ecs:a:b","Resource":"*"}]}"#, #"Statement[0].NotAction "ecs:a:b" must be "*" or look like service:ApiName (wildcards * and ? allowed)"#),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}"#, "Statement[0].Action must not be an empty list"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"","Resource":"*"}]}"#, "Statement[0].Action must not be an empty string"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:*",3],"Resource":"*"}]}"#, "Statement[0].Action[1] must be a string, not a number"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":{"a":1},"Resource":"*"}]}"#, "Statement[0].Action must be a string or an array of strings, not an object"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"instance/i-1"}]}"#, #"Statement[0].Resource "instance/i-1" must be "*" or an ARN such as acs:ecs:*:*:instance/*"#),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":["*","acs:ecs:*:*"]}]}"#, #"Statement[0].Resource[1] "acs:ecs:*:*" must be "*" or an ARN such as acs:ecs:*:*:instance/*"#),
        // conditions
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":[]}]}"#, "Statement[0].Condition must be an object mapping condition operators to {key: values}, not an array"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{}}]}"#, "Statement[0].Condition must not be empty (omit it instead)"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Foo":{"acs:SourceIp":"1.2.3.4"}}}]}"#, "Statement[0].Condition: unknown condition operator Foo (known operators: StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike, NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals, NumericGreaterThan, NumericGreaterThanEquals, DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan, DateGreaterThanEquals, Bool, IpAddress, NotIpAddress)"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualsIfExists":{"acs:SourceVpc":"vpc-1"}}}]}"#, "Statement[0].Condition: unknown condition operator StringEqualsIfExists (the IfExists variants are not supported by RAM)"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"acs:SourceVpc":"vpc-1"}}}]}"#, "Statement[0].Condition: unknown condition operator ForAnyValue:StringEquals (the ForAnyValue:/ForAllValues: qualifiers are not supported by RAM)"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"stringequals":{"acs:SourceVpc":"vpc-1"}}}]}"#, "Statement[0].Condition: unknown condition operator stringequals (operator names are case-sensitive: did you mean StringEquals?)"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":"vpc-1"}}]}"#, "Statement[0].Condition.StringEquals must be an object mapping condition keys to values, not a string"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{}}}]}"#, "Statement[0].Condition.StringEquals must not be empty"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"ecs:Count":5}}}]}"#, "Statement[0].Condition.NumericLessThan.ecs:Count must be a string or an array of strings (a number found; enclose numbers and booleans in double quotation marks)"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"acs:SecureTransport":[true]}}}]}"#, "Statement[0].Condition.Bool.acs:SecureTransport values must be strings (a boolean found; enclose numbers and booleans in double quotation marks)"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"acs:SourceVpc":[]}}}]}"#, "Statement[0].Condition.StringEquals.acs:SourceVpc must not be an empty list"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"SourceVpc":"v"}}}]}"#, #"Statement[0].Condition.StringEquals: condition key "SourceVpc" must look like prefix:name, e.g. acs:SourceIp"#),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"acs:SourceVpc":"a","ACS:sourcevpc":"b"}}}]}"#, "Statement[0].Condition.StringEquals: condition key ACS:sourcevpc repeats acs:SourceVpc (keys are case-insensitive)"),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"ecs:Count":["1","0x10"]}}}]}"#, #"Statement[0].Condition.NumericEquals.ecs:Count: "0x10" is not a decimal number"#),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"DateLessThan":{"acs:CurrentTime":"2026-02-30T00:00:00Z"}}}]}"#, #"Statement[0].Condition.DateLessThan.acs:CurrentTime: "2026-02-30T00:00:00Z" is not an ISO 8601 date such as 2012-11-11T23:59:59Z"#),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"acs:MFAPresent":"yes"}}}]}"#, #"Statement[0].Condition.Bool.acs:MFAPresent: "yes" must be "true" or "false""#),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/33"}}}]}"#, #"Statement[0].Condition.IpAddress.acs:SourceIp: "10.0.0.0/33" is not an IPv4/IPv6 address or CIDR block"#),
        (#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"acs:SourceIp":["::1","2001:db8::/129"]}}}]}"#, #"Statement[0].Condition.NotIpAddress.acs:SourceIp: "2001:db8::/129" is not an IPv4/IPv6 address or CIDR block"#),
    ]

    @Test("each malformed document gets its own actionable message", arguments: cases)
    func rejected(json: String, message: String) {
        let error = parseError(json)
        #expect(error == PolicyError(code: "MalformedPolicyDocument", message: message))
    }

    @Test("messages are all distinct")
    func distinctMessages() {
        let messages = Self.cases.map(\.1)
        #expect(Set(messages).count == messages.count)
    }

    @Test("documents longer than 6144 characters are refused before parsing")
    func tooLong() {
        let long = "{" + String(repeating: " ", count: 6200) + "}"
        #expect(parseError(long) == .malformed("document is longer than 6144 characters (it has 6202)"))
    }

    @Test("deep nesting is refused without recursion blow-up")
    func deepNesting() {
        let deep = String(repeating: "[", count: 3000) + String(repeating: "]", count: 3000)
        let error = parseError(deep)
        #expect(error?.code == "MalformedPolicyDocument")
        #expect(error?.message.hasPrefix("document is not valid JSON: nesting deeper than 32 levels") == true)
    }

    @Test("invalid escapes and control characters in strings")
    func badStrings() {
        #expect(parseError("{\"Version\":\"1\\q\"}")?.message == #"document is not valid JSON: invalid escape \q at line 1, column 14"#)
        #expect(parseError("{\"Version\":\"a\tb\"}")?.message == "document is not valid JSON: control character in string (escape it) at line 1, column 14")
        #expect(parseError(#"{"Version":"\ud800"}"#)?.message == #"document is not valid JSON: unpaired UTF-16 surrogate in \u escape at line 1, column 19"#)
    }

    @Test("escaped strings decode (\\u escapes, surrogate pairs)")
    func goodEscapes() throws {
        let doc = try PolicyParser.parse(#"{"Version":"\u0031","Statement":{"Sid":"\ud83d\ude00 \/","Effect":"Allow","Action":"*","Resource":"*"}}"#)
        #expect(doc.statements[0].sid == "😀 /")
    }
}
