import ECSDomain
import ECSStore
import Testing

@Suite("Validation")
struct ValidationTests {
    @Test(arguments: [
        ("k1", true), ("ab", true), ("a", false), ("", false),
        (String(repeating: "k", count: 128), true), (String(repeating: "k", count: 129), false),
        ("Key:name_1.2-3", true), ("中文密钥", true), ("密钥-1", true), ("Ünïcode", true),
        ("1key", false), ("_key", false), (":key", false), ("-key", false), (".key", false),
        ("key name", false), ("key/name", false), ("key@x", false), ("key!", false), ("key*", false),
        ("http://key", false), ("https://key", false), ("httpkey", true), ("http-key", true),
    ])
    func keyPairNames(_ name: String, _ valid: Bool) {
        #expect(Validation.isValidKeyPairName(name) == valid)
    }

    @Test(arguments: [
        ("Abcdef12", true), ("abcdef1!", true), ("ABCDEF1!", true), ("Abcdefg!", true), ("Ab1!Ab1!", true),
        ("abcdef12", false), ("ABCDEFGH", false), ("abcdefgh", false), ("12345678", false), ("Abcdefgh", false),
        ("Ab1!", false), ("Abcde12", false), (String(repeating: "Ab1", count: 10), true), (String(repeating: "Ab1", count: 10) + "x", false),
        ("Abcdef 12", false), ("Abcdef12中", false), ("Abcdef12\"", false), ("Abc()`~!@#$%^&*-_+=|{}[]:;'<>,.?/1", false),
        ("Ab1()`~!@#$%^&*-_+=|{}[]:;'<>", true), ("/Abcdef12", true),
    ])
    func linuxPasswords(_ password: String, _ valid: Bool) {
        #expect(Validation.isValidPassword(password, windows: false) == valid)
    }

    @Test func windowsPasswordMustNotStartWithASlash() {
        #expect(!Validation.isValidPassword("/Abcdef12", windows: true))
        #expect(Validation.isValidPassword("A/bcdef12", windows: true))
        #expect(Validation.isValidPassword("Passw0rd!x", windows: true))
    }

    @Test(arguments: [
        ("web-01", true), ("web.example.com", true), ("a", false), ("ab", true),
        ("-web", false), ("web-", false), (".web", false), ("web.", false),
        ("web_01", false), ("web 01", false), ("wéb", false), ("web..01", false), ("web--01", false), ("a.b-c.d", true),
        (String(repeating: "a", count: 64), true), (String(repeating: "a", count: 65), false),
    ])
    func linuxHostNames(_ name: String, _ valid: Bool) {
        #expect(Validation.isValidHostName(name, windows: false) == valid)
    }

    @Test func windowsHostNamesAreAtMost15Characters() {
        #expect(Validation.isValidHostName(String(repeating: "a", count: 15), windows: true))
        #expect(!Validation.isValidHostName(String(repeating: "a", count: 16), windows: true))
        #expect(!Validation.isValidHostName("-win", windows: true))
    }

    struct TagCase: Sendable, CustomTestStringConvertible {
        let tags: [ResourceTag]
        let error: DomainError?
        let testDescription: String
        init(_ d: String, _ tags: [(String, String)], _ error: DomainError?) {
            self.tags = tags.map { ResourceTag(key: $0.0, value: $0.1) }; self.error = error; testDescription = d
        }
    }

    static let k128 = String(repeating: "k", count: 128)
    static let v129 = String(repeating: "v", count: 129)

    @Test(arguments: [
        TagCase("none", [], nil),
        TagCase("plain", [("env", "dev"), ("team", "")], nil),
        TagCase("128-char key and value", [(k128, String(repeating: "v", count: 128))], nil),
        TagCase("20 tags", (1...20).map { ("k\($0)", "v") }, nil),
        TagCase("21 tags", (1...21).map { ("k\($0)", "v") }, .tooManyTags(21)),
        TagCase("empty key", [("", "v")], .tagKeyMalformed("")),
        TagCase("129-char key", [(k128 + "k", "v")], .tagKeyMalformed(k128 + "k")),
        TagCase("aliyun key", [("aliyun-x", "v")], .tagKeyMalformed("aliyun-x")),
        TagCase("acs: key", [("acs:x", "v")], .tagKeyMalformed("acs:x")),
        TagCase("http key", [("see http://x", "v")], .tagKeyMalformed("see http://x")),
        TagCase("https key", [("https://x", "v")], .tagKeyMalformed("https://x")),
        TagCase("acs: value", [("k", "acs:x")], .tagValueMalformed("acs:x")),
        TagCase("http value", [("k", "at http://x")], .tagValueMalformed("at http://x")),
        TagCase("129-char value", [("k", v129)], .tagValueMalformed(v129)),
        TagCase("aliyun value is fine", [("k", "aliyun")], nil),
        TagCase("acs in the middle is fine", [("my-acs:x", "v-acs:x")], nil),
        TagCase("duplicate key", [("a", "1"), ("b", "2"), ("a", "3")], .duplicateTagKey("a")),
    ])
    func tags(_ c: TagCase) {
        do {
            try Validation.checkTags(c.tags)
            #expect(c.error == nil)
        } catch {
            #expect(error == c.error)
        }
    }

    @Test(arguments: [("rg-abc123", true), ("rg-aek2abc", true), ("rg-", false), ("rg-ABC", false), ("rg-a_b", false),
                      ("abc", false), ("", false), ("default", false)])
    func resourceGroups(_ id: String, _ valid: Bool) {
        #expect(((try? Validation.checkResourceGroup(id)) != nil) == valid)
    }

    @Test func absentResourceGroupIsFine() throws {
        try Validation.checkResourceGroup(nil)
    }

    @Test func regions() throws {
        #expect(try Validation.region("cn-hangzhou").zones.contains("cn-hangzhou-h"))
        #expect(throws: DomainError.regionNotFound("cn-nowhere")) { try Validation.region("cn-nowhere") }
    }

    @Test(arguments: StoreKind.allCases)
    func launchValidation(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            func launch(_ req: LaunchRequest) async -> DomainError? {
                await domainError { _ = try await f.instances.launch(me, req, autoStart: true) }
            }
            func req(image: String? = linuxImage, type: String? = "ecs.g7.large", password: String? = nil, inherit: Bool = false,
                     name: String? = nil, host: String? = nil, amount: Int = 1, zone: String? = nil) -> LaunchRequest {
                LaunchRequest(region: hz, imageId: image, instanceType: type, password: password, passwordInherit: inherit,
                              instanceName: name, hostName: host, amount: amount, zoneId: zone)
            }
            #expect(await launch(req(image: nil)) == .missingParameter("ImageId"))
            #expect(await launch(req(type: nil)) == .missingParameter("InstanceType"))
            #expect(await launch(req(image: "nope")) == .imageNotFound("nope"))
            #expect(await launch(req(type: "ecs.nope")) == .instanceTypeNotFound("ecs.nope"))
            #expect(await launch(req(amount: 0)) == .amountInvalid(0))
            #expect(await launch(req(amount: 101)) == .amountInvalid(101))
            #expect(await launch(req(password: "short")) == .passwordMalformed("short"))
            #expect(await launch(req(image: windowsImage, password: "/Abcdef12")) == .passwordMalformed("/Abcdef12"))
            #expect(await launch(req(password: "Passw0rd!x", inherit: true)) == .passwordMismatch)
            #expect(await launch(req(name: "1bad")) == .instanceNameMalformed("1bad"))
            #expect(await launch(req(host: "-bad")) == .hostNameMalformed("-bad"))
            if case .invalidParameter("ZoneId", _)? = await launch(req(zone: "cn-beijing-g")) {} else {
                Issue.record("a zone of another region must be refused")
            }
            // Nothing was created by the refused calls.
            let page = try await f.instances.describe(me, region: hz, filter: InstanceFilter(), offset: 0, limit: 100)
            #expect(page.total == 0)
            let ids = try await f.instances.launch(me, req(amount: 3), autoStart: true)
            #expect(Set(ids).count == 3)
            #expect(ids.allSatisfy { $0.hasPrefix("i-") && $0.count == 22 })
        }
    }
}
