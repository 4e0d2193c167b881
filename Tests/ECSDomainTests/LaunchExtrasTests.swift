import ECSDomain
import ECSStore
import Testing

/// What RunInstances keeps beyond the lifecycle: user data (DescribeUserData) and the system disk
/// (DescribeDisks), with their refusals; a refused launch creates nothing.
@Suite("Launch: user data and system disk")
struct LaunchExtrasTests {
    @Test(arguments: [
        ("ZWNobyBoaQ==", true), ("", false), ("not base64!", false), ("ZWNobyBoaQ", false), ("ZW=vYmo=", false),
    ])
    func userDataMustBeBase64(_ text: String, _ valid: Bool) {
        #expect(((try? Validation.checkUserData(text)) != nil) == valid)
    }

    @Test func userDataIsLimitedTo32KBDecoded() throws {
        let exactly = String(repeating: "QUFB", count: 32 * 1024 / 3) + "QUE="  // 32,768 bytes
        try Validation.checkUserData(exactly)
        let over = String(repeating: "QUFB", count: 32 * 1024 / 3 + 1)       // 32,769 bytes
        #expect(throws: DomainError.userDataTooLarge(32 * 1024 + 1)) { try Validation.checkUserData(over) }
    }

    func launch(_ f: Fixture, image: String = linuxImage, userData: String? = nil, category: String? = nil,
                size: Int? = nil) async throws -> String {
        let req = LaunchRequest(region: hz, imageId: image, instanceType: "ecs.g7.large",
                                password: image == linuxImage ? nil : "Passw0rd!2024",
                                userData: userData, systemDiskCategory: category, systemDiskSize: size)
        return try await f.instances.launch(me, req, autoStart: true)[0]
    }

    @Test(arguments: [StoreKind.memory, .file])
    func keptAndDerived(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let a = try await launch(f, userData: "ZWNobyBoaQ==", category: "cloud_auto", size: 64)
            let b = try await launch(f)
            #expect(try await f.instances.userData(me, id: a, region: hz).record.userData == "ZWNobyBoaQ==")
            #expect(try await f.instances.userData(me, id: b, region: hz).record.userData == nil)
            let disks = try await f.instances.disks(me, region: hz, filter: DiskFilter(), offset: 0, limit: 10).items
            // Both were made at the same (manual) clock time: compare by disk, not by position.
            let byDisk = Dictionary(uniqueKeysWithValues: disks.map { ($0.id, ($0.category, $0.size)) })
            #expect(Set(byDisk.keys) == ["d-" + a.dropFirst(2), "d-" + b.dropFirst(2)])
            #expect(byDisk["d-" + a.dropFirst(2)]! == ("cloud_auto", 64))
            #expect(byDisk["d-" + b.dropFirst(2)]! == ("cloud_essd", 40))
            let byId = try await f.instances.disks(me, region: hz, filter: DiskFilter(ids: ["d-" + b.dropFirst(2), "d-nope", "x"]),
                                                   offset: 0, limit: 10).items
            #expect(byId.map(\.instance.record.id) == [b])
            let data = try await f.instances.disks(me, region: hz, filter: DiskFilter(diskType: "data"), offset: 0, limit: 10)
            #expect(data.total == 0)
            // Another account sees none of them.
            let theirs = try await f.instances.disks(Caller(accountId: "1000000000000999", accessKeyId: "LTAI5tOtherKey"), region: hz, filter: DiskFilter(),
                                                     offset: 0, limit: 10)
            #expect(theirs.total == 0)
            f.settle()
            try await f.instances.delete(me, id: a, region: hz, force: true, dryRun: false)
            #expect(try await f.instances.disks(me, region: hz, filter: DiskFilter(), offset: 0, limit: 10).items.map(\.id)
                    == ["d-" + b.dropFirst(2)])
        }
    }

    @Test func refusalsCreateNothing() async throws {
        try await withFixture(.memory) { f in
            #expect(await domainError { _ = try await launch(f, userData: "%%%") } == .userDataNotBase64)
            #expect(await domainError { _ = try await launch(f, category: "floppy") } == .systemDiskCategoryInvalid("floppy"))
            #expect(await domainError { _ = try await launch(f, size: 19) } == .systemDiskSizeInvalid(19, minimum: 20))
            #expect(await domainError { _ = try await launch(f, size: 2049) } == .systemDiskSizeInvalid(2049, minimum: 20))
            // A 40 GiB Windows image needs a disk of at least 40 GiB.
            #expect(await domainError { _ = try await launch(f, image: windowsImage, size: 30) } == .systemDiskSizeInvalid(30, minimum: 40))
            #expect(await domainError { _ = try await f.instances.disks(me, region: hz, filter: DiskFilter(diskType: "x"), offset: 0, limit: 1) }
                    == .invalidParameter("DiskType", "It must be all, system or data."))
            let left = try await f.instances.disks(me, region: hz, filter: DiskFilter(), offset: 0, limit: 10)
            #expect(left.total == 0)
        }
    }
}
