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
        let items = matched.dropFirst(page.offset).prefix(page.size).map { img -> WireValue in
            .object([
                "ImageId": .string(img.id), "ImageName": .string(img.name), "ImageOwnerAlias": .string("system"),
                "OSType": .string(img.osType), "OSName": .string(img.osName), "OSNameEn": .string(img.osNameEn),
                "Platform": .string(img.platform), "Architecture": .string(img.architecture), "Size": .integer(img.sizeGiB),
                "Status": .string("Available"), "IsSupportIoOptimized": .boolean(true), "Usage": .string("instance"),
            ])
        }
        return [
            "RegionId": .string(c.region),
            "TotalCount": .integer(matched.count),
            "PageNumber": .integer(page.number),
            "PageSize": .integer(page.size),
            "Images": .list(item: "Image", Array(items)),
        ]
    }

    static func instanceTypes(_ c: Call) async throws -> WireObject {
        let wanted = c.input.list("InstanceTypes").map(Set.init)
        let family = c.input.string("InstanceTypeFamily")
        let types = Catalog.instanceTypes.filter { t in (wanted?.contains(t.id) ?? true) && (family.map { $0 == t.family } ?? true) }
        return ["InstanceTypes": .list(item: "InstanceType", types.map { t in
            .object(["InstanceTypeId": .string(t.id), "InstanceTypeFamily": .string(t.family),
                     "CpuCoreCount": .integer(t.cpu), "MemorySize": .double(Double(t.memoryMiB) / 1024)])
        })]
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
