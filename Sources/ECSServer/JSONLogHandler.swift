import ECSAPI
import Foundation
import Logging

/// `--log-format json`: one JSON object a line on standard error: `time` (UTC, ms), `level`,
/// `label`, `message`, then the metadata fields (the access log's `requestId`, `action`,
/// `account`, `code`, `status`, `ms`, …) as strings.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        FileHandle.standardError.write(Data(Self.line(event, label: label, handlerMetadata: metadata, now: Date())))
    }

    static func line(_ event: LogEvent, label: String, handlerMetadata: Logger.Metadata, now: Date) -> [UInt8] {
        var object = WireObject([("time", .string(timestamp(now))), ("level", .string(event.level.rawValue)),
                                 ("label", .string(label)), ("message", .string(event.message.description))])
        let merged = handlerMetadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() where !["time", "level", "label", "message"].contains(key) {
            object.append(key, .string(merged[key].map { "\($0)" } ?? ""))
        }
        return JSONWriter.write(object) + [UInt8(ascii: "\n")]
    }

    static func timestamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = ms / 1000
        let tm = gmtime_components(seconds)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.year, tm.month, tm.day, tm.hour, tm.minute, tm.second, Int(ms % 1000))
    }

    static func gmtime_components(_ seconds: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var t = time_t(seconds)
        var out = tm()
        gmtime_r(&t, &out)
        return (Int(out.tm_year) + 1900, Int(out.tm_mon) + 1, Int(out.tm_mday), Int(out.tm_hour), Int(out.tm_min), Int(out.tm_sec))
    }
}
