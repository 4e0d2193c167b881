import ECSStore

/// `DataDisk.N.*` of RunInstances and CreateInstance: each field is honoured or refused, as the
/// issue asks (nothing declared is dropped). LocalECS stores a data disk's shape, not its bytes,
/// so what would need real storage features (snapshots, encryption, automatic snapshot policies,
/// dedicated storage clusters, provisioned performance) is refused with a message saying so.
public enum DataDisks {
    /// ECS: at most 16 data disks per instance (the parser bounds N to this too).
    public static let maxPerInstance = 16
    /// What ECS picks when `DataDisk.N.Category` is absent.
    public static let defaultCategory = "cloud_efficiency"
    /// What ECS picks for a `cloud_essd` disk with no `PerformanceLevel`.
    public static let defaultPerformanceLevel = "PL1"
    public static let categories = ["cloud", "cloud_efficiency", "cloud_ssd", "cloud_essd", "cloud_auto", "cloud_essd_entry"]
    public static let performanceLevels = ["PL0", "PL1", "PL2", "PL3"]

    /// The sizes (GiB) the RunInstances reference allows per category (and ESSD level).
    public static func sizeRange(category: String, performanceLevel: String) -> ClosedRange<Int> {
        switch category {
        case "cloud": return 5...2000
        case "cloud_efficiency", "cloud_ssd": return 20...32768
        case "cloud_essd_entry": return 10...32768
        case "cloud_auto": return 1...65536
        default:
            switch performanceLevel {
            case "PL0": return 1...65536
            case "PL2": return 461...65536
            case "PL3": return 1261...65536
            default: return 20...65536
            }
        }
    }

    /// The disks a launch asks for, checked; the records its instances keep. `raw` holds each
    /// `DataDisk.N` as the parser gave it, in N order.
    public static func validate(_ raw: [[String: String]]) throws(DomainError) -> [DataDiskRecord] {
        if raw.count > maxPerInstance { throw .dataDiskCountExceeded(raw.count) }
        var disks: [DataDiskRecord] = []
        var devices = Set<String>()
        // Devices some disk names explicitly: the ones ECS assigns in order skip them.
        let named = Set(raw.compactMap { $0["Device"] })
        for (i, f) in raw.enumerated() {
            let n = i + 1, p = "DataDisk.\(n)."
            if let s = f["SnapshotId"] { throw .dataDiskSnapshotNotFound(s) }
            if let e = f["Encrypted"] {
                guard let b = bool(e) else { throw .invalidParameter(p + "Encrypted", "It must be true or false.") }
                if b { throw .dataDiskNotSupported(p + "Encrypted", "LocalECS does not encrypt disks: leave it out or set it to false.") }
            }
            for name in ["KMSKeyId", "EncryptAlgorithm"] where f[name] != nil {
                throw .dataDiskNotSupported(p + name, "LocalECS does not encrypt disks: leave \(name) out.")
            }
            if f["AutoSnapshotPolicyId"] != nil {
                throw .dataDiskNotSupported(p + "AutoSnapshotPolicyId", "LocalECS has no automatic snapshot policies: leave it out.")
            }
            if f["StorageClusterId"] != nil {
                throw .dataDiskNotSupported(p + "StorageClusterId", "LocalECS has no dedicated block storage clusters: leave it out.")
            }
            if f["ProvisionedIops"] != nil {
                throw .dataDiskNotSupported(p + "ProvisionedIops", "LocalECS does not provision disk performance: leave it out.")
            }
            if let e = f["BurstingEnabled"] {
                guard let b = bool(e) else { throw .invalidParameter(p + "BurstingEnabled", "It must be true or false.") }
                if b { throw .dataDiskNotSupported(p + "BurstingEnabled", "LocalECS does not model disk bursting: leave it out or set it to false.") }
            }
            if let e = f["DeleteWithInstance"] {
                guard let b = bool(e) else { throw .invalidParameter(p + "DeleteWithInstance", "It must be true or false.") }
                if !b { throw .dataDiskNotSupported(p + "DeleteWithInstance",
                        "LocalECS keeps data disks only with their instance: leave it out or set it to true.") }
            }
            let category = f["Category"] ?? defaultCategory
            guard categories.contains(category) else { throw .dataDiskCategoryInvalid(n, category) }
            var level = ""
            if let l = f["PerformanceLevel"] {
                guard category == "cloud_essd" else {
                    throw .invalidParameter(p + "PerformanceLevel", "A performance level applies to cloud_essd disks only.")
                }
                guard performanceLevels.contains(l) else {
                    throw .invalidParameter(p + "PerformanceLevel", "It must be PL0, PL1, PL2 or PL3.")
                }
                level = l
            } else if category == "cloud_essd" {
                level = defaultPerformanceLevel
            }
            let range = sizeRange(category: category, performanceLevel: level)
            // Parsed without arithmetic, so no value (however long) can trap.
            guard let text = f["Size"], let size = Int(text), range.contains(size) else {
                throw .dataDiskSizeInvalid(n, f["Size"], category: category, performanceLevel: level, range: range)
            }
            if let name = f["DiskName"], !Validation.isValidInstanceName(name) {
                throw .invalidParameter(p + "DiskName", "It must be 2 to 128 characters, start with a letter and hold only letters, digits, ':', '_', '.' and '-'.")
            }
            if let d = f["Description"], !Validation.isValidDescription(d) {
                throw .invalidParameter(p + "Description", "It must be 2 to 256 characters and not start with http:// or https://.")
            }
            let device: String
            if let d = f["Device"] {
                guard isDataDevice(d) else {
                    throw .invalidParameter(p + "Device", "It must be /dev/xvdb to /dev/xvdz (/dev/xvda is the system disk).")
                }
                device = d
            } else {
                // The first letter from b that no disk took: ECS attaches in order.
                // 25 letters for at most 16 disks: one is always free.
                device = Self.dataDevices.first { !devices.contains($0) && !named.contains($0) } ?? "/dev/xvdz"
            }
            guard devices.insert(device).inserted else {
                throw .invalidParameter(p + "Device", "Another data disk of the instance already uses \(device).")
            }
            disks.append(DataDiskRecord(index: n, category: category, size: size, performanceLevel: level,
                                        name: f["DiskName"] ?? "", description: f["Description"] ?? "", device: device))
        }
        return disks
    }

    static let dataDevices: [String] = "bcdefghijklmnopqrstuvwxyz".map { "/dev/xvd" + String($0) }

    static func isDataDevice(_ d: String) -> Bool { dataDevices.contains(d) }

    static func bool(_ s: String) -> Bool? {
        switch s.lowercased() { case "true": return true; case "false": return false; default: return nil }
    }
}
