import Foundation

/// A data disk made with its instance (RunInstances/CreateInstance `DataDisk.N.*`). It lives in
/// its instance's row and goes with it: LocalECS makes data disks only with `DeleteWithInstance=true`
/// (decisions.md), so a disk never outlives its instance and needs no table of its own.
public struct DataDiskRecord: Codable, Sendable, Equatable {
    /// N of `DataDisk.N`: with the instance's ID it fixes the disk's ID.
    public var index: Int
    public var category: String
    /// GiB.
    public var size: Int
    /// `PL0`…`PL3` for `cloud_essd`, "" for the other categories.
    public var performanceLevel: String
    public var name: String
    public var description: String
    /// `/dev/xvdb` onwards.
    public var device: String

    public init(index: Int, category: String, size: Int, performanceLevel: String, name: String, description: String, device: String) {
        self.index = index; self.category = category; self.size = size; self.performanceLevel = performanceLevel
        self.name = name; self.description = description; self.device = device
    }
}

/// Data disks packed into one text column (a JSON array; "" for none), shared by the SQL backends.
public enum DataDiskCodec {
    public static func encode(_ disks: [DataDiskRecord]) -> String {
        if disks.isEmpty { return "" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(disks)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    public static func decode(_ text: String) -> [DataDiskRecord] {
        if text.isEmpty { return [] }
        return (try? JSONDecoder().decode([DataDiskRecord].self, from: Data(text.utf8))) ?? []
    }
}
