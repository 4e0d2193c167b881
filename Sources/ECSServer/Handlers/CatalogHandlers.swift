import ECSAPI
import ECSDomain
import ECSPolicy

/// DescribeRegions, DescribeImages and DescribeInstanceTypes: the built-in catalogue.
enum CatalogHandlers {
    static let all: [ServedAction] = [
        ServedAction(ECSActions.describeRegions, regions),
        ServedAction(ECSActions.describeImages, images),
        ServedAction(ECSActions.describeInstanceTypes, instanceTypes),
    ]

    static func regions(_ c: Call) async throws -> WireObject {
        let english = c.input.string("AcceptLanguage")?.lowercased().hasPrefix("en") ?? false
        return ["Regions": .list(item: "Region", Catalog.regions.map { r in
            .object([
                "RegionId": .string(r.id),
                "LocalName": .string(english ? r.id : r.localName),
                "RegionEndpoint": .string(r.endpoint),
                "Status": .string("available"),
            ])
        })]
    }

    static func images(_ c: Call) async throws -> WireObject {
        _ = try Validation.region(c.region)
        let i = c.input
        if let alias = i.string("ImageOwnerAlias"), !["system", "self", "others", "marketplace"].contains(alias) {
            throw ECSError.invalidParameter("ImageOwnerAlias", "Use system, self, others or marketplace.")
        }
        if let os = i.string("OSType"), !["linux", "windows"].contains(os.lowercased()) {
            throw ECSError.invalidParameter("OSType", "Use linux or windows.")
        }
        let ids = i.string("ImageId").map { Set($0.split(separator: ",").map { String($0).trimmingSpaces }) }
        let matched = Catalog.images.filter { img in
            (ids == nil || ids!.contains(img.id))
                && (i.string("ImageOwnerAlias").map { $0 == "system" } ?? true)
                && (i.string("OSType").map { $0.lowercased() == img.osType } ?? true)
                && (i.string("Architecture").map { $0 == img.architecture } ?? true)
                && (i.string("ImageName").map { n in n.contains("*") ? wildcard(n, img.name) : n == img.name } ?? true)
        }
        let page = try KeyPairService.page(number: i.integer("PageNumber"), size: i.integer("PageSize"), maxSize: 100)
        let items = matched.dropFirst(page.offset).prefix(page.size).map { WireValue.object(CatalogShapes.image($0)) }
        return [
            "RegionId": .string(c.region),
            "TotalCount": .integer(matched.count),
            "PageNumber": .integer(page.number),
            "PageSize": .integer(page.size),
            "Images": .list(item: "Image", Array(items)),
        ]
    }

    static func instanceTypes(_ c: Call) async throws -> WireObject {
        let i = c.input
        let wanted = i.list("InstanceTypes").map(Set.init)
        let family = i.string("InstanceTypeFamily")
        let minMemory = try gib(i, "MinimumMemorySize"), maxMemory = try gib(i, "MaximumMemorySize")
        let types = Catalog.instanceTypes.filter { t in
            let shape = CatalogShapes.instanceType(t)
            return (wanted?.contains(t.id) ?? true) && (family.map { $0 == t.family } ?? true)
                && (i.string("CpuArchitecture").map { $0.uppercased() == "X86" } ?? true)
                && (i.string("InstanceCategory").map { shape["InstanceCategory"] == .string($0) } ?? true)
                && (i.integer("MinimumCpuCoreCount").map { t.cpu >= $0 } ?? true)
                && (i.integer("MaximumCpuCoreCount").map { t.cpu <= $0 } ?? true)
                && (minMemory.map { Double(t.memoryMiB) / 1024 >= $0 } ?? true)
                && (maxMemory.map { Double(t.memoryMiB) / 1024 <= $0 } ?? true)
        }
        // Token paging: NextToken is the offset of the next item, "" on the last page.
        let limit = i.integer("MaxResults") ?? 1600
        var offset = 0
        if let t = i.string("NextToken") {
            guard let o = Int(t), o >= 0 else { throw ECSError.invalidParameter("NextToken", "Use the NextToken of the previous page.") }
            offset = o
        }
        let page = types.dropFirst(offset).prefix(limit)
        let next = offset + page.count < types.count ? String(offset + page.count) : ""
        return [
            "NextToken": .string(next),
            "InstanceTypes": .list(item: "InstanceType", page.map { .object(CatalogShapes.instanceType($0)) }),
        ]
    }

    /// A memory size filter in GiB (ECS's Float): a finite, non-negative number.
    static func gib(_ i: Input, _ name: String) throws -> Double? {
        guard let text = i.string(name) else { return nil }
        guard let v = Double(text), v.isFinite, v >= 0 else { throw ECSError.invalidParameter(name, "It must be a number of GiB, such as 8 or 0.5.") }
        return v
    }

    static func wildcard(_ pattern: String, _ value: String) -> Bool {
        Wildcard.matches(pattern: pattern, value, caseInsensitive: false)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = self[...]
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
