import Testing
import ECSPolicy

@Suite("Wildcard matching")
struct WildcardTests {
    @Test("prefix, infix and exact action patterns", arguments: [
        ("ecs:Describe*", "ecs:DescribeKeyPairs", true),
        ("ecs:Describe*", "ecs:Describe", true),
        ("ecs:Describe*", "ecs:CreateKeyPair", false),
        ("ecs:*KeyPair*", "ecs:DetachKeyPair", true),
        ("ecs:*KeyPair*", "ecs:DescribeKeyPairs", true),
        ("ecs:*KeyPair*", "ecs:KeyPair", true),
        ("ecs:*KeyPair*", "ecs:DescribeInstances", false),
        ("ecs:DetachKeyPair", "ecs:DetachKeyPair", true),
        ("ecs:DetachKeyPair", "ecs:DetachKeyPairs", false),
        ("*", "", true),
        ("*", "anything:at all", true),
        ("", "", true),
        ("", "x", false),
    ])
    func basic(pattern: String, value: String, expected: Bool) {
        #expect(Wildcard.matches(pattern: pattern, value, caseInsensitive: false) == expected)
    }

    @Test("? matches exactly one character")
    func questionMark() {
        #expect(Wildcard.matches(pattern: "i-?", "i-a", caseInsensitive: false))
        #expect(!Wildcard.matches(pattern: "i-?", "i-", caseInsensitive: false))
        #expect(!Wildcard.matches(pattern: "i-?", "i-ab", caseInsensitive: false))
        #expect(Wildcard.matches(pattern: "i-??*", "i-ab", caseInsensitive: false))
        #expect(Wildcard.matches(pattern: "k?y", "k€y", caseInsensitive: false))
        #expect(Wildcard.matches(pattern: "a?c*", "abcdef", caseInsensitive: false))
    }

    @Test("case rules: insensitive lowers both sides, sensitive does not")
    func caseRules() {
        #expect(Wildcard.matches(pattern: "ecs:describe*", "ECS:DescribeKeyPairs", caseInsensitive: true))
        #expect(Wildcard.matches(pattern: "ECS:DESCRIBE*", "ecs:describekeypairs", caseInsensitive: true))
        #expect(!Wildcard.matches(pattern: "acs:ecs:*:*:instance/I-A*", "acs:ecs:cn-hangzhou:1:instance/i-a1", caseInsensitive: false))
        #expect(Wildcard.matches(pattern: "acs:ecs:*:*:instance/i-a*", "acs:ecs:cn-hangzhou:1:instance/i-a1", caseInsensitive: false))
    }

    @Test("wildcard characters in the value are literal")
    func literalStarInValue() {
        #expect(!Wildcard.matches(pattern: "abc", "a*c", caseInsensitive: false))
        #expect(Wildcard.matches(pattern: "a*c", "a*c", caseInsensitive: false))
        #expect(Wildcard.matches(pattern: "a?c", "a*c", caseInsensitive: false))
    }

    @Test("stars need backtracking to the most recent star only")
    func backtracking() {
        #expect(Wildcard.matches(pattern: "*ab*ab", "xxabyyabab", caseInsensitive: false))
        #expect(!Wildcard.matches(pattern: "*ab*abc", "xxabyyabab", caseInsensitive: false))
        #expect(Wildcard.matches(pattern: "a*b*c", "abbbbc", caseInsensitive: false))
        #expect(!Wildcard.matches(pattern: "a*b*c", "abbbbcd", caseInsensitive: false))
        #expect(Wildcard.matches(pattern: "**a**", "xay", caseInsensitive: false))
    }

    @Test("pathological patterns finish quickly")
    func pathological() {
        let value = String(repeating: "a", count: 20_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(!Wildcard.matches(pattern: "a*a*a*a*b", value, caseInsensitive: false))
            #expect(!Wildcard.matches(pattern: String(repeating: "*a", count: 30) + "b", value, caseInsensitive: true))
            #expect(Wildcard.matches(pattern: "a*a*a*a*a", value, caseInsensitive: false))
        }
        #expect(elapsed < .seconds(2))
    }

    @Test("compiled pattern agrees with the one-shot function")
    func compiled() {
        let p = WildcardPattern("ecs:*KeyPair*", caseInsensitive: true)
        #expect(p.matches("ECS:DetachKEYPAIR"))
        #expect(!p.matches("ecs:DescribeInstances"))
        #expect(Wildcard.hasWildcards("a*"))
        #expect(Wildcard.hasWildcards("a?"))
        #expect(!Wildcard.hasWildcards("abc"))
    }
}
