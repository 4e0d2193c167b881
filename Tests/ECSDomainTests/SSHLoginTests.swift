import ECSDomain
import ECSKeys
import ECSStore
import Testing

@Suite("LoopbackAddress")
struct LoopbackAddressTests {
    @Test func firstAddressesAndBlockBoundaries() {
        #expect(LoopbackAddress.address(slot: 0) == nil)
        #expect(LoopbackAddress.address(slot: -1) == nil)
        #expect(LoopbackAddress.address(slot: 1) == "127.1.0.1")
        #expect(LoopbackAddress.address(slot: 254) == "127.1.0.254")
        #expect(LoopbackAddress.address(slot: 255) == "127.1.1.1")
        #expect(LoopbackAddress.address(slot: 254 * 256 + 1) == "127.2.0.1")
        #expect(LoopbackAddress.address(slot: LoopbackAddress.capacity) == "127.255.255.254")
        #expect(LoopbackAddress.address(slot: LoopbackAddress.capacity + 1) == nil)
        #expect(LoopbackAddress.address(slot: .max) == nil)
    }

    @Test func distinctAndReversibleNeverHostOrBroadcastLooking() {
        var seen = Set<String>()
        for slot in Int64(1)...70_000 {
            let a = LoopbackAddress.address(slot: slot)!
            #expect(seen.insert(a).inserted)
            #expect(LoopbackAddress.slot(address: a) == slot)
            #expect(!a.hasPrefix("127.0."), "127.0.0.0/16 is the host's")
            #expect(!a.hasSuffix(".0") && !a.hasSuffix(".255"))
        }
        for bad in ["127.0.0.1", "127.1.0.0", "127.1.0.255", "10.1.0.1", "127.1.0", "127.256.0.1", "127.1.0.1.2", "", "127.+1.0.1"] {
            #expect(LoopbackAddress.slot(address: bad) == nil, "\(bad)")
        }
    }

    @Test func portsModeGivesEachSlotItsOwnPort() {
        let c = SSHConfig(enabled: true, port: 40000, addressing: .ports)
        #expect(c.endpoint(slot: 1)?.host == "127.0.0.1" && c.endpoint(slot: 1)?.port == 40001)
        #expect(c.endpoint(slot: 25535)?.port == 65535)
        #expect(c.endpoint(slot: 25536) == nil)
        #expect(c.endpoint(slot: 0) == nil)
        let l = SSHConfig(port: 2222)
        #expect(l.endpoint(slot: 3)?.host == "127.1.0.3" && l.endpoint(slot: 3)?.port == 2222)
        #expect(l.command(slot: 3, keyPair: "k1") == "ssh -i k1.pem -p 2222 root@127.1.0.3")
        #expect(l.command(slot: 3, keyPair: nil) == "ssh -p 2222 root@127.1.0.3")
    }

    @Test(arguments: StoreKind.allCases)
    func launchesNumberInstancesUniquelyAcrossAccounts(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            var addresses = Set<String>()
            for caller in [me, someoneElse, me] {
                let ids = try await f.instances.launch(caller, LaunchRequest(region: hz, imageId: linuxImage, instanceType: "ecs.g7.large",
                                                                            amount: 3), autoStart: true)
                for id in ids {
                    let ip = try await f.record(id, caller: caller).publicIp
                    #expect(ip.hasPrefix("127."))
                    #expect(addresses.insert(ip).inserted, "\(ip) given twice")
                }
            }
            #expect(addresses.count == 9)
        }
    }
}

@Suite("SSH authentication decision")
struct SSHAuthDecisionTests {
    let key = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBK10A0GgtJwZg4XgiAA90ud5u+zTVHt2I+8ueLcCGQPn4xA8m7onGlVIv0OyC9BTQcMuF0e7sacy+QLJhRl/NJ4= t"
    var blob: String { String(key.split(separator: " ")[1]) }
    // Few rounds: the decision, not PBKDF2's cost, is under test.
    let hash = SecretHash.passwordHash("Passw0rd!", rounds: 1000)

    @Test func keyInEffectOnlyAndOnlyRoot() {
        let login = LoginInEffect(publicKey: key, passwordLogin: false, passwordHash: nil)
        #expect(SSHAuthDecision.publicKey(user: "root", offeredBlobBase64: blob, login: login))
        #expect(!SSHAuthDecision.publicKey(user: "admin", offeredBlobBase64: blob, login: login))
        #expect(!SSHAuthDecision.publicKey(user: "root", offeredBlobBase64: "AAAAC3NzaC1lZDI1NTE5AAAAIHmAhlSZ", login: login))
        #expect(!SSHAuthDecision.password(user: "root", password: "Passw0rd!", login: login))
        let none = LoginInEffect(publicKey: nil, passwordLogin: false, passwordHash: nil)
        #expect(!SSHAuthDecision.publicKey(user: "root", offeredBlobBase64: blob, login: none))
    }

    @Test func passwordOnlyWhenPasswordLoginIsInEffect() {
        let on = LoginInEffect(publicKey: nil, passwordLogin: true, passwordHash: hash)
        #expect(SSHAuthDecision.password(user: "root", password: "Passw0rd!", login: on))
        #expect(!SSHAuthDecision.password(user: "root", password: "Passw0rd?", login: on))
        #expect(!SSHAuthDecision.password(user: "ubuntu", password: "Passw0rd!", login: on))
        #expect(!SSHAuthDecision.password(user: "root", password: "Passw0rd!",
                                          login: LoginInEffect(publicKey: nil, passwordLogin: false, passwordHash: hash)))
        // PasswordInherit: a password is in effect, but LocalECS never knew it.
        #expect(!SSHAuthDecision.password(user: "root", password: "Passw0rd!",
                                          login: LoginInEffect(publicKey: nil, passwordLogin: true, passwordHash: nil)))
    }

    @Test(arguments: StoreKind.allCases)
    func loginFollowsTheRestartNotTheBinding(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            try await f.importKey("k1")
            let id = try await f.running(key: "k1")
            var r = try await f.record(id)
            #expect(r.loginInEffect(publicKey: key) == LoginInEffect(publicKey: key, passwordLogin: false, passwordHash: nil))

            try await f.instances.modifyAttribute(me, id: id, region: nil, AttributeChange(password: "Passw0rd!"))
            _ = try await f.detach("k1", [id])
            r = try await f.record(id)
            #expect(r.passwordHash != nil && r.passwordHash?.contains("Passw0rd!") == false)
            // Nothing changes until the reboot: still the key, no password.
            #expect(r.loginInEffect(publicKey: key).publicKey == key)
            #expect(!r.loginInEffect(publicKey: key).passwordLogin)

            try await f.instances.reboot(me, id: id, region: nil, dryRun: false)
            r = try await f.record(id)
            let after = r.loginInEffect(publicKey: key)
            #expect(after.publicKey == nil)
            #expect(SSHAuthDecision.password(user: "root", password: "Passw0rd!", login: after))
            #expect(!SSHAuthDecision.publicKey(user: "root", offeredBlobBase64: blob, login: after))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func modifyInstanceAttributeRules(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let id = try await f.run()
            func refusal(_ c: AttributeChange, id: String? = nil) async -> DomainError? {
                do { try await f.instances.modifyAttribute(me, id: id ?? "", region: nil, c); return nil }
                catch let e as DomainError { return e } catch { return nil }
            }
            // Pending: a password cannot be set yet; a name can.
            #expect(await refusal(AttributeChange(password: "Passw0rd!"), id: id) == .incorrectInstanceStatus(id: id, status: "Pending"))
            #expect(await refusal(AttributeChange(instanceName: "web-1"), id: id) == nil)
            f.settle()
            #expect(await refusal(AttributeChange(password: "short1!"), id: id) == .passwordMalformed("short1!"))
            #expect(await refusal(AttributeChange(password: "alllowercase"), id: id) == .passwordMalformed("alllowercase"))
            #expect(await refusal(AttributeChange(instanceName: "1bad"), id: id) == .instanceNameMalformed("1bad"))
            #expect(await refusal(AttributeChange(hostName: "-bad"), id: id) == .hostNameMalformed("-bad"))
            #expect(await refusal(AttributeChange(description: "http://x"), id: id) == .descriptionMalformed)
            #expect(await refusal(AttributeChange(instanceName: "ok-name"), id: "i-nope") == .instanceNotFound("i-nope"))
            // A refused call changes nothing, even the valid parts.
            #expect(await refusal(AttributeChange(password: "bad", instanceName: "changed"), id: id) == .passwordMalformed("bad"))
            #expect(try await f.record(id).name == "web-1")
            #expect(await refusal(AttributeChange(password: "Passw0rd!", instanceName: "web-2", hostName: "web2.local",
                                                  description: "a web server"), id: id) == nil)
            let r = try await f.record(id)
            #expect(r.name == "web-2" && r.hostName == "web2.local" && r.description == "a web server" && r.passwordSet)
            #expect(r.effectivePasswordHash == nil, "a new password waits for the next start")
        }
    }
}

@Suite("InstanceShell")
struct InstanceShellTests {
    let shell = InstanceShell(hostName: "web-1", image: Catalog.image(linuxImage), authorizedKey: "ssh-rsa AAAAB3Nza k1")

    @Test func answersFromTheInstance() {
        #expect(shell.run("hostname") == .init(stdout: "web-1\n", stderr: "", status: 0))
        #expect(shell.run("whoami").stdout == "root\n")
        #expect(shell.run("id").stdout.hasPrefix("uid=0(root)"))
        #expect(shell.run("uname -a").stdout.hasPrefix("Linux web-1 "))
        #expect(shell.run("cat /etc/os-release").stdout.contains("ID=\"ubuntu\""))
        #expect(shell.run("cat /root/.ssh/authorized_keys").stdout == "ssh-rsa AAAAB3Nza k1\n")
        #expect(shell.run("echo 'hello   there' x").stdout == "hello   there x\n")
        #expect(shell.run("true").status == 0)
        #expect(shell.run("exit 3") == .init(stdout: "", stderr: "", status: 3, exits: true))
    }

    @Test func nothingElseRuns() {
        for cmd in ["ls", "rm -rf /", "bash -c id", "/bin/sh", "sudo reboot", "python3"] {
            let out = shell.run(cmd)
            #expect(out.status == 127)
            #expect(out.stderr == "sh: \(cmd.split(separator: " ")[0]): command not found\n")
        }
        let noKey = InstanceShell(hostName: "h", image: nil, authorizedKey: nil)
        #expect(noKey.run("cat /root/.ssh/authorized_keys").status == 1)
        #expect(noKey.run("cat /etc/shadow").status == 1)
    }
}
