import ECSDomain
import ECSStore
import Testing

/// `DataDisk.N.*`: what a launch may ask for, what it is refused, and the disks kept with the
/// instance (DescribeDisks), on the memory and SQLite stores.
@Suite("Launch: data disks")
struct DataDiskTests {
    @Test func defaultsAndDevices() throws {
        let disks = try DataDisks.validate([
            ["Size": "20"],
            ["Category": "cloud_essd", "Size": "100", "Device": "/dev/xvdb", "DiskName": "logs", "Description": "log disk"],
            ["Category": "cloud_essd", "Size": "500", "PerformanceLevel": "PL2", "DeleteWithInstance": "True", "Encrypted": "false"],
        ])
        #expect(disks.map(\.index) == [1, 2, 3])
        #expect(disks.map(\.category) == ["cloud_efficiency", "cloud_essd", "cloud_essd"])
        #expect(disks.map(\.performanceLevel) == ["", "PL1", "PL2"])
        // The named device is reserved; the others take the first free letters in N order.
        #expect(disks.map(\.device) == ["/dev/xvdc", "/dev/xvdb", "/dev/xvdd"])
        #expect((disks[1].name, disks[1].description) == ("logs", "log disk"))
        #expect(try DataDisks.validate([]).isEmpty)
    }

    @Test(arguments: [
        ("cloud", "", 5...2000), ("cloud_efficiency", "", 20...32768), ("cloud_ssd", "", 20...32768),
        ("cloud_essd_entry", "", 10...32768), ("cloud_auto", "", 1...65536), ("cloud_essd", "PL0", 1...65536),
        ("cloud_essd", "PL1", 20...65536), ("cloud_essd", "PL2", 461...65536), ("cloud_essd", "PL3", 1261...65536),
    ])
    func sizeBoundsPerCategory(_ category: String, _ level: String, _ range: ClosedRange<Int>) throws {
        var disk = ["Category": category]
        if !level.isEmpty { disk["PerformanceLevel"] = level }
        for ok in [range.lowerBound, range.upperBound] {
            disk["Size"] = String(ok)
            #expect(try DataDisks.validate([disk])[0].size == ok)
        }
        let effective = level.isEmpty && category == "cloud_essd" ? "PL1" : level
        for bad in [range.lowerBound - 1, range.upperBound + 1] {
            disk["Size"] = String(bad)
            #expect(throws: DomainError.dataDiskSizeInvalid(1, String(bad), category: category, performanceLevel: effective, range: range)) {
                try DataDisks.validate([disk])
            }
        }
    }

    @Test func refusals() {
        func refused(_ disk: [String: String]) -> DomainError? {
            do { _ = try DataDisks.validate([["Size": "20"], disk]); return nil } catch { return error }
        }
        #expect(refused(["Category": "floppy", "Size": "20"]) == .dataDiskCategoryInvalid(2, "floppy"))
        #expect(refused([:]) == .dataDiskSizeInvalid(2, nil, category: "cloud_efficiency", performanceLevel: "", range: 20...32768))
        // A number no Int holds is refused, not trapped on.
        #expect(refused(["Size": "99999999999999999999999"])
                == .dataDiskSizeInvalid(2, "99999999999999999999999", category: "cloud_efficiency", performanceLevel: "", range: 20...32768))
        #expect(refused(["Size": "20", "SnapshotId": "s-1"]) == .dataDiskSnapshotNotFound("s-1"))
        for field in ["KMSKeyId", "EncryptAlgorithm", "AutoSnapshotPolicyId", "StorageClusterId", "ProvisionedIops"] {
            guard case .dataDiskNotSupported(let name, _)? = refused(["Size": "20", field: "x"]) else {
                Issue.record("\(field) was not refused"); continue
            }
            #expect(name == "DataDisk.2." + field)
        }
        for (field, value) in [("Encrypted", "true"), ("BurstingEnabled", "TRUE"), ("DeleteWithInstance", "false")] {
            guard case .dataDiskNotSupported(let name, _)? = refused(["Size": "20", field: value]) else {
                Issue.record("\(field)=\(value) was not refused"); continue
            }
            #expect(name == "DataDisk.2." + field)
        }
        for (field, value) in [("Encrypted", "yes"), ("DeleteWithInstance", "1"), ("Device", "/dev/xvda"), ("Device", "/dev/sdb"),
                               ("DiskName", "9lives"), ("Description", "https://x"), ("PerformanceLevel", "PL1")] {
            guard case .invalidParameter(let name, _)? = refused(["Size": "20", field: value]) else {
                Issue.record("\(field)=\(value) was not refused"); continue
            }
            #expect(name == "DataDisk.2." + field)
        }
        #expect(refused(["Category": "cloud_essd", "Size": "20", "PerformanceLevel": "PL4"])
                == .invalidParameter("DataDisk.2.PerformanceLevel", "It must be PL0, PL1, PL2 or PL3."))
        #expect(throws: DomainError.invalidParameter("DataDisk.2.Device", "Another data disk of the instance already uses /dev/xvdb.")) {
            try DataDisks.validate([["Size": "20", "Device": "/dev/xvdb"], ["Size": "20", "Device": "/dev/xvdb"]])
        }
        #expect(throws: DomainError.dataDiskCountExceeded(17)) { try DataDisks.validate(Array(repeating: ["Size": "20"], count: 17)) }
    }

    @Test(arguments: [StoreKind.memory, .file])
    func keptWithTheInstanceAndDescribed(_ kind: StoreKind) async throws {
        try await withFixture(kind) { f in
            let req = LaunchRequest(region: hz, imageId: linuxImage, instanceType: "ecs.g7.large", dataDisks: [
                ["Category": "cloud_ssd", "Size": "30", "DiskName": "db"], ["Size": "40"],
            ])
            let id = try await f.instances.launch(me, req, autoStart: true)[0]
            let all = try await f.instances.disks(me, region: hz, filter: DiskFilter(instanceId: id), offset: 0, limit: 10).items
            let base = "d-" + id.dropFirst(2)
            #expect(all.map(\.id) == [base, base + "-1", base + "-2"])
            #expect(all.map(\.type) == ["system", "data", "data"])
            #expect(all.map(\.device) == ["/dev/xvda", "/dev/xvdb", "/dev/xvdc"])
            #expect(all.map(\.category) == ["cloud_essd", "cloud_ssd", "cloud_efficiency"])
            let one = try await f.instances.disks(me, region: hz, filter: DiskFilter(ids: [base + "-2"]), offset: 0, limit: 10).items
            #expect(one.map(\.size) == [40])
            let named = try await f.instances.disks(me, region: hz, filter: DiskFilter(diskType: "data", name: "db"), offset: 0, limit: 10)
            #expect(named.items.map(\.id) == [base + "-1"])
            f.settle()
            try await f.instances.delete(me, id: id, region: hz, force: true, dryRun: false)
            #expect(try await f.instances.disks(me, region: hz, filter: DiskFilter(), offset: 0, limit: 10).total == 0)
        }
    }

    @Test func refusedLaunchCreatesNothing() async throws {
        try await withFixture(.memory) { f in
            let req = LaunchRequest(region: hz, imageId: linuxImage, instanceType: "ecs.g7.large",
                                    dataDisks: [["Size": "20"], ["Size": "20", "Encrypted": "true"]])
            guard case .dataDiskNotSupported("DataDisk.2.Encrypted", _)? = await domainError({
                _ = try await f.instances.launch(me, req, autoStart: true)
            }) else { Issue.record("an encrypted disk was not refused"); return }
            let left = try await f.instances.disks(me, region: hz, filter: DiskFilter(), offset: 0, limit: 10)
            #expect(left.total == 0)
        }
    }
}
