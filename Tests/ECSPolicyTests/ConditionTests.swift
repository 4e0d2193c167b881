import Testing
import ECSPolicy

/// Whether an `Allow *` statement guarded by `condition` (a JSON Condition block) allows a request
/// carrying `keys`.
private func allowed(_ condition: String, _ keys: [String: [String]]) throws -> Bool {
    let doc = try PolicyParser.parse(#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":\#(condition)}]}"#)
    let policy = NamedPolicy(name: "p", type: "Custom", document: doc)
    return PolicyEvaluator.evaluate([policy], RequestContext(action: "ecs:DescribeKeyPairs", resources: ["*"], conditionKeys: keys)) == .allow
}

@Suite("Condition operators")
struct ConditionTests {
    @Test("String operators: case rules, lists are OR, negation means none match")
    func strings() throws {
        let eq = #"{"StringEquals":{"acs:SourceVpc":["vpc-a","vpc-b"]}}"#
        #expect(try allowed(eq, ["acs:SourceVpc": ["vpc-b"]]))
        #expect(try !allowed(eq, ["acs:SourceVpc": ["VPC-B"]]))
        #expect(try !allowed(eq, ["acs:SourceVpc": ["vpc-c"]]))

        let ne = #"{"StringNotEquals":{"acs:SourceVpc":["vpc-a","vpc-b"]}}"#
        #expect(try allowed(ne, ["acs:SourceVpc": ["vpc-c"]]))
        #expect(try !allowed(ne, ["acs:SourceVpc": ["vpc-a"]]))
        #expect(try !allowed(ne, ["acs:SourceVpc": ["vpc-b"]]))

        let eqi = #"{"StringEqualsIgnoreCase":{"acs:UserAgent":"Aliyun-CLI"}}"#
        #expect(try allowed(eqi, ["acs:UserAgent": ["ALIYUN-cli"]]))
        #expect(try !allowed(eqi, ["acs:UserAgent": ["aliyun-cli/3"]]))
        let nei = #"{"StringNotEqualsIgnoreCase":{"acs:UserAgent":"Aliyun-CLI"}}"#
        #expect(try !allowed(nei, ["acs:UserAgent": ["ALIYUN-cli"]]))
        #expect(try allowed(nei, ["acs:UserAgent": ["python"]]))

        let like = #"{"StringLike":{"acs:SourceVpc":["vpc-a*","vpc-??"]}}"#
        #expect(try allowed(like, ["acs:SourceVpc": ["vpc-a123"]]))
        #expect(try allowed(like, ["acs:SourceVpc": ["vpc-zz"]]))
        #expect(try !allowed(like, ["acs:SourceVpc": ["vpc-zzz"]]))
        #expect(try !allowed(like, ["acs:SourceVpc": ["VPC-A123"]]))
        let notLike = #"{"StringNotLike":{"acs:SourceVpc":["vpc-a*","vpc-b*"]}}"#
        #expect(try allowed(notLike, ["acs:SourceVpc": ["vpc-c1"]]))
        #expect(try !allowed(notLike, ["acs:SourceVpc": ["vpc-b1"]]))
    }

    @Test("a key absent from the request: positive operators false, negated operators true", arguments: [
        (#"{"StringEquals":{"acs:SourceVpc":"v"}}"#, false),
        (#"{"StringNotEquals":{"acs:SourceVpc":"v"}}"#, true),
        (#"{"StringEqualsIgnoreCase":{"acs:SourceVpc":"v"}}"#, false),
        (#"{"StringNotEqualsIgnoreCase":{"acs:SourceVpc":"v"}}"#, true),
        (#"{"StringLike":{"acs:SourceVpc":"*"}}"#, false),
        (#"{"StringNotLike":{"acs:SourceVpc":"*"}}"#, true),
        (#"{"NumericEquals":{"ecs:Count":"1"}}"#, false),
        (#"{"NumericNotEquals":{"ecs:Count":"1"}}"#, true),
        (#"{"NumericLessThan":{"ecs:Count":"1"}}"#, false),
        (#"{"DateEquals":{"acs:CurrentTime":"2026-01-01"}}"#, false),
        (#"{"DateNotEquals":{"acs:CurrentTime":"2026-01-01"}}"#, true),
        (#"{"DateGreaterThan":{"acs:CurrentTime":"2026-01-01"}}"#, false),
        (#"{"Bool":{"acs:MFAPresent":"false"}}"#, false),
        (#"{"IpAddress":{"acs:SourceIp":"0.0.0.0/0"}}"#, false),
        (#"{"NotIpAddress":{"acs:SourceIp":"10.0.0.0/8"}}"#, true),
    ])
    func absentKey(condition: String, expected: Bool) throws {
        #expect(try allowed(condition, [:]) == expected)
        #expect(try allowed(condition, ["acs:SourceVpc": [], "ecs:Count": [], "acs:CurrentTime": [], "acs:MFAPresent": [], "acs:SourceIp": []]) == expected)
    }

    @Test("condition keys match case-insensitively on both sides")
    func keyCase() throws {
        #expect(try allowed(#"{"StringEquals":{"ACS:sourcevpc":"vpc-a"}}"#, ["acs:SourceVpc": ["vpc-a"]]))
        #expect(try allowed(#"{"StringEquals":{"acs:SourceVpc":"vpc-a"}}"#, ["ACS:SOURCEVPC": ["vpc-a"]]))
    }

    @Test("Numeric operators compare as numbers")
    func numeric() throws {
        let keys: (String) -> [String: [String]] = { ["ecs:Count": [$0]] }
        #expect(try allowed(#"{"NumericEquals":{"ecs:Count":"10"}}"#, keys("10.0")))
        #expect(try allowed(#"{"NumericEquals":{"ecs:Count":"1e1"}}"#, keys("10")))
        #expect(try !allowed(#"{"NumericEquals":{"ecs:Count":"10"}}"#, keys("9")))
        #expect(try allowed(#"{"NumericNotEquals":{"ecs:Count":["1","2"]}}"#, keys("3")))
        #expect(try !allowed(#"{"NumericNotEquals":{"ecs:Count":["1","2"]}}"#, keys("2")))
        #expect(try allowed(#"{"NumericLessThan":{"ecs:Count":"10"}}"#, keys("9")))
        #expect(try !allowed(#"{"NumericLessThan":{"ecs:Count":"10"}}"#, keys("10")))
        #expect(try !allowed(#"{"NumericLessThan":{"ecs:Count":"10"}}"#, keys("100")))   // not a string compare
        #expect(try allowed(#"{"NumericLessThanEquals":{"ecs:Count":"10"}}"#, keys("10")))
        #expect(try allowed(#"{"NumericGreaterThan":{"ecs:Count":"-1.5"}}"#, keys("-1")))
        #expect(try !allowed(#"{"NumericGreaterThan":{"ecs:Count":"10"}}"#, keys("10")))
        #expect(try allowed(#"{"NumericGreaterThanEquals":{"ecs:Count":"10"}}"#, keys("10")))
        // A request value that is not a number matches nothing.
        #expect(try !allowed(#"{"NumericGreaterThanEquals":{"ecs:Count":"0"}}"#, keys("many")))
        #expect(try allowed(#"{"NumericNotEquals":{"ecs:Count":"0"}}"#, keys("many")))
    }

    @Test("Date operators compare instants across formats and zones")
    func dates() throws {
        let now: [String: [String]] = ["acs:CurrentTime": ["2026-11-29T07:00:00Z"]]
        #expect(try allowed(#"{"DateLessThan":{"acs:CurrentTime":"2026-11-29T07:00:01Z"}}"#, now))
        #expect(try !allowed(#"{"DateLessThan":{"acs:CurrentTime":"2026-11-29T07:00:00Z"}}"#, now))
        #expect(try allowed(#"{"DateLessThanEquals":{"acs:CurrentTime":"2026-11-29T15:00:00+08:00"}}"#, now))
        #expect(try allowed(#"{"DateEquals":{"acs:CurrentTime":"2026-11-29T07:00:00.000Z"}}"#, now))
        #expect(try allowed(#"{"DateEquals":{"acs:CurrentTime":"2026-11-29T02:00:00-0500"}}"#, now))
        #expect(try !allowed(#"{"DateNotEquals":{"acs:CurrentTime":"2026-11-29T07:00:00Z"}}"#, now))
        #expect(try allowed(#"{"DateGreaterThan":{"acs:CurrentTime":"2026-11-29"}}"#, now))
        #expect(try !allowed(#"{"DateGreaterThan":{"acs:CurrentTime":"2026-11-30"}}"#, now))
        #expect(try allowed(#"{"DateGreaterThanEquals":{"acs:CurrentTime":"2026-11-29T06:59:59.999Z"}}"#, now))
        #expect(try !allowed(#"{"DateGreaterThan":{"acs:CurrentTime":"2026-11-29T07:00:00.0000001Z"}}"#, now))
        // A window (two operators AND together).
        let window = #"{"DateGreaterThan":{"acs:CurrentTime":"2026-01-01T00:00:00Z"},"DateLessThan":{"acs:CurrentTime":"2027-01-01T00:00:00Z"}}"#
        #expect(try allowed(window, now))
        #expect(try !allowed(window, ["acs:CurrentTime": ["2027-01-01T00:00:00Z"]]))
        // A request value that is not a date matches nothing.
        #expect(try !allowed(#"{"DateGreaterThan":{"acs:CurrentTime":"2000-01-01"}}"#, ["acs:CurrentTime": ["yesterday"]]))
    }

    @Test("Bool for acs:SecureTransport and acs:MFAPresent")
    func bools() throws {
        let https = #"{"Bool":{"acs:SecureTransport":"true"}}"#
        #expect(try allowed(https, ["acs:SecureTransport": ["true"]]))
        #expect(try allowed(https, ["acs:SecureTransport": ["TRUE"]]))
        #expect(try !allowed(https, ["acs:SecureTransport": ["false"]]))
        #expect(try !allowed(https, ["acs:SecureTransport": ["1"]]))
        #expect(try allowed(#"{"Bool":{"acs:MFAPresent":"False"}}"#, ["acs:MFAPresent": ["false"]]))
    }

    @Test("IpAddress / NotIpAddress with IPv4 and IPv6 addresses and CIDR blocks")
    func ipAddresses() throws {
        let v4 = #"{"IpAddress":{"acs:SourceIp":["10.0.0.0/8","192.168.1.7"]}}"#
        #expect(try allowed(v4, ["acs:SourceIp": ["10.255.1.2"]]))
        #expect(try allowed(v4, ["acs:SourceIp": ["192.168.1.7"]]))
        #expect(try !allowed(v4, ["acs:SourceIp": ["192.168.1.8"]]))
        #expect(try !allowed(v4, ["acs:SourceIp": ["11.0.0.1"]]))
        #expect(try allowed(v4, ["acs:SourceIp": ["::ffff:10.1.2.3"]]))       // IPv4-mapped IPv6
        #expect(try !allowed(v4, ["acs:SourceIp": ["not-an-ip"]]))
        #expect(try !allowed(v4, ["acs:SourceIp": ["010.1.2.3"]]))

        let v6 = #"{"IpAddress":{"acs:SourceIp":["2001:db8::/32","::1"]}}"#
        #expect(try allowed(v6, ["acs:SourceIp": ["2001:db8:ffff::1"]]))
        #expect(try allowed(v6, ["acs:SourceIp": ["2001:DB8:0:0:0:0:0:abcd"]]))
        #expect(try allowed(v6, ["acs:SourceIp": ["::1"]]))
        #expect(try !allowed(v6, ["acs:SourceIp": ["2001:db9::1"]]))
        #expect(try !allowed(v6, ["acs:SourceIp": ["127.0.0.1"]]))              // other family never matches

        let notV4 = #"{"NotIpAddress":{"acs:SourceIp":["10.0.0.0/8","172.16.0.0/12"]}}"#
        #expect(try allowed(notV4, ["acs:SourceIp": ["8.8.8.8"]]))
        #expect(try !allowed(notV4, ["acs:SourceIp": ["172.31.255.255"]]))
        #expect(try !allowed(notV4, ["acs:SourceIp": ["10.0.0.1"]]))
        #expect(try allowed(notV4, ["acs:SourceIp": ["::1"]]))

        let odd = #"{"IpAddress":{"acs:SourceIp":["10.1.2.3/8","0.0.0.0/0","fe80::/10"]}}"#
        #expect(try allowed(odd, ["acs:SourceIp": ["203.0.113.9"]]))             // /0 covers all IPv4
        #expect(try allowed(odd, ["acs:SourceIp": ["fe80::1:2"]]))
        #expect(try !allowed(odd, ["acs:SourceIp": ["fec0::1"]]))
    }

    @Test("operator blocks AND, keys AND, values OR")
    func combination() throws {
        let c = #"{"StringEquals":{"acs:SourceVpc":["vpc-a","vpc-b"],"acs:AccessId":"AK1"},"Bool":{"acs:SecureTransport":"true"}}"#
        let good: [String: [String]] = ["acs:SourceVpc": ["vpc-b"], "acs:AccessId": ["AK1"], "acs:SecureTransport": ["true"]]
        #expect(try allowed(c, good))
        var k = good; k["acs:AccessId"] = ["AK2"]
        #expect(try !allowed(c, k))
        k = good; k["acs:SecureTransport"] = ["false"]
        #expect(try !allowed(c, k))
        k = good; k["acs:SourceVpc"] = nil
        #expect(try !allowed(c, k))
    }

    @Test("Condition can be built directly and reports its own errors")
    func directConstruction() throws {
        let c = try Condition(operator: .notIpAddress, key: "acs:SourceIp", values: ["10.0.0.0/8"])
        #expect(c.normalizedKey == "acs:sourceip")
        #expect(c.holds(requestValues: nil))
        #expect(c.holds(requestValues: ["8.8.8.8"]))
        #expect(!c.holds(requestValues: ["10.9.9.9"]))
        #expect(throws: PolicyError.malformed("IpAddress.acs:SourceIp must have at least one value")) {
            try Condition(operator: .ipAddress, key: "acs:SourceIp", values: [])
        }
        #expect(ConditionOperator.allCases.filter(\.isNegated).map(\.rawValue) ==
                ["StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals", "DateNotEquals", "NotIpAddress"])
    }
}

@Suite("IP and date primitives")
struct PrimitiveTests {
    @Test("IP address parsing", arguments: [
        ("1.2.3.4", "1.2.3.4"),
        ("255.255.255.255", "255.255.255.255"),
        ("::", "0:0:0:0:0:0:0:0"),
        ("::1", "0:0:0:0:0:0:0:1"),
        ("2001:db8::8:800:200c:417a", "2001:db8:0:0:8:800:200c:417a"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("64:ff9b::192.0.2.33", "64:ff9b:0:0:0:0:c000:221"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
    ])
    func ipParse(text: String, canonical: String) {
        #expect(IPAddress(text)?.description == canonical)
    }

    @Test("IP address rejection", arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.1.1.1", "1.2.3.4 ", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::",
        "fe80::1%eth0", "[::1]", "g::1", ":1", "1:2:3:4:5:6:7::8", "::1.2.3",
    ])
    func ipReject(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("CIDR blocks clear host bits and bound prefixes")
    func cidr() {
        #expect(IPNetwork("10.1.2.3/8")?.description == "10.0.0.0/8")
        #expect(IPNetwork("2001:db8:1::/48")?.contains(IPAddress("2001:db8:1:ffff::")!) == true)
        #expect(IPNetwork("2001:db8:1::/48")?.contains(IPAddress("2001:db8:2::")!) == false)
        #expect(IPNetwork("::ffff:10.0.0.0/104")?.description == "10.0.0.0/8")
        #expect(IPNetwork("1.2.3.4/33") == nil)
        #expect(IPNetwork("::/129") == nil)
        #expect(IPNetwork("1.2.3.4/") == nil)
        #expect(IPNetwork("1.2.3.4/08") == nil)
        #expect(IPNetwork("::/0")?.contains(IPAddress("ffff::")!) == true)
    }

    @Test("ISO 8601 dates", arguments: [
        ("2012-11-11T23:59:59Z", "2012-11-11T23:59:59Z"),
        ("2012-11-11", "2012-11-11T00:00:00Z"),
        ("2012-11-11T23:59:59.5Z", "2012-11-11T23:59:59.500000000Z"),
        ("2012-11-11T23:59:59.123456789123Z", "2012-11-11T23:59:59.123456789Z"),
        ("2012-11-12T07:59:59+08:00", "2012-11-11T23:59:59Z"),
        ("2012-11-11T18:59:59-0500", "2012-11-11T23:59:59Z"),
        ("2012-11-11T23:59Z", "2012-11-11T23:59:00Z"),
        ("2012-11-11T23:59:59", "2012-11-11T23:59:59Z"),
        ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
    ])
    func dateParse(text: String, canonical: String) {
        #expect(PolicyDate(iso8601: text)?.description == canonical)
    }

    @Test("ISO 8601 rejection", arguments: [
        "", "2012", "2012-11", "2012-13-01", "2023-02-29", "2012-11-11T24:00:00Z", "2012-11-11T23:60:00Z",
        "2012-11-11T23:59:60Z", "2012-11-11 23:59:59Z", "2012-11-11T23:59:59.Z", "2012-11-11T23:59:59+8", "1352678399",
        "2012-11-11T23:59:59ZZ",
    ])
    func dateReject(text: String) {
        #expect(PolicyDate(iso8601: text) == nil)
    }

    @Test("dates compare as instants")
    func dateOrder() throws {
        let a = try #require(PolicyDate(iso8601: "2026-11-29T15:00:00+08:00"))
        let b = try #require(PolicyDate(iso8601: "2026-11-29T07:00:00Z"))
        let c = try #require(PolicyDate(iso8601: "2026-11-29T07:00:00.001Z"))
        #expect(a == b)
        #expect(b < c)
        #expect(a.secondsSinceEpoch == 1_795_935_600)
    }
}
