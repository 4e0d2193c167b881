/// An object's shape declared once, field by field, and compiled into a writing program for JSON
/// and one for XML, so that a long list (a DescribeInstances page: 100 items of about 70 fields)
/// is written straight into the response's bytes without building a `WireValue` tree per item.
///
/// Each field is one line: its key and either a constant or how to read it from the subject.
/// Compiling renders every key, every constant (with the existing writers, so the bytes are
/// theirs) and every nested constant object into byte runs; writing an item then copies those
/// runs and renders only the fields that depend on the subject. Key order is declaration order.
public struct WireShape<Subject>: Sendable, ExpressibleByDictionaryLiteral {
    public enum Field: Sendable {
        /// The same value for every subject: rendered once.
        case constant(WireValue)
        case string(@Sendable (Subject) -> String)
        case integer(@Sendable (Subject) -> Int)
        case boolean(@Sendable (Subject) -> Bool)
        /// An ECS list of strings (`{"Item": ["a", "b"]}`), written without building values.
        case strings(item: String, @Sendable (Subject) -> [String])
        /// Anything else (lists of objects, tags): built as a `WireValue` and written by the generic writers.
        case value(@Sendable (Subject) -> WireValue)
        /// A nested object of the same subject, compiled into its parent's program.
        case object(WireShape<Subject>)
        /// An ECS list of exactly one object of the same subject (`{"Item": [{…}]}`), compiled likewise.
        case single(item: String, WireShape<Subject>)
    }

    public let fields: [(String, Field)]
    // Inlinable down to the writing loop, so that a page's shape is specialized for its subject
    // in the module that declares it (no generic thunk per field).
    @usableFromInline let json: WireProgram<Subject>
    @usableFromInline let xml: WireProgram<Subject>

    public init(dictionaryLiteral elements: (String, Field)...) { self.init(elements) }

    public init(_ fields: [(String, Field)]) {
        self.fields = fields
        var steps: [WireProgram<Subject>.Step] = []
        var pending: [UInt8] = []
        Self.compileJSON(fields, pending: &pending, steps: &steps)
        json = WireProgram(steps: steps, suffix: pending)
        steps = []
        pending = []
        Self.compileXML(fields, pending: &pending, steps: &steps)
        xml = WireProgram(steps: steps, suffix: pending)
    }

    /// The subject as a `WireValue` tree, field for field what `write` renders (for code and
    /// tests that inspect a body rather than send it).
    public func object(_ subject: Subject) -> WireObject {
        WireObject(fields.map { key, field in
            switch field {
            case .constant(let v): return (key, v)
            case .string(let get): return (key, .string(get(subject)))
            case .integer(let get): return (key, .integer(get(subject)))
            case .boolean(let get): return (key, .boolean(get(subject)))
            case .value(let get): return (key, get(subject))
            case .strings(let item, let get): return (key, .list(item: item, get(subject).map { .string($0) }))
            case .object(let shape): return (key, .object(shape.object(subject)))
            case .single(let item, let shape): return (key, .list(item: item, [.object(shape.object(subject))]))
            }
        })
    }

    /// A JSON object (with its braces) for `subject`.
    @inlinable public func writeJSON(_ subject: Subject, into out: inout [UInt8]) { json.run(subject, json: true, into: &out) }

    /// The XML content of the subject's element (its children, without the element's own tags).
    @inlinable public func writeXML(_ subject: Subject, into out: inout [UInt8]) { xml.run(subject, json: false, into: &out) }

    /// Roughly how many JSON bytes one subject takes, to size the response's buffer once.
    public var estimatedJSONBytes: Int { json.constantBytes + 24 * json.steps.count }

    private static func compileJSON(_ fields: [(String, Field)], pending: inout [UInt8], steps: inout [WireProgram<Subject>.Step]) {
        pending.append(UInt8(ascii: "{"))
        for (i, (key, field)) in fields.enumerated() {
            if i > 0 { pending.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(key, into: &pending)
            pending.append(UInt8(ascii: ":"))
            let get: WireProgram<Subject>.Getter
            switch field {
            case .constant(let v): JSONWriter.write(v, into: &pending); continue
            case .object(let shape): compileJSON(shape.fields, pending: &pending, steps: &steps); continue
            case .single(let item, let shape):
                pending.append(UInt8(ascii: "{"))
                JSONWriter.writeString(item, into: &pending)
                pending.append(UInt8(ascii: ":"))
                pending.append(UInt8(ascii: "["))
                compileJSON(shape.fields, pending: &pending, steps: &steps)
                pending.append(UInt8(ascii: "]"))
                pending.append(UInt8(ascii: "}"))
                continue
            case .string(let g): get = .string(g)
            case .integer(let g): get = .integer(g)
            case .boolean(let g): get = .boolean(g)
            case .value(let g): get = .value(g)
            case .strings(let item, let g):
                pending.append(UInt8(ascii: "{"))
                JSONWriter.writeString(item, into: &pending)
                pending.append(UInt8(ascii: ":"))
                pending.append(UInt8(ascii: "["))
                steps.append(.init(prefix: pending, name: key, get: .strings(open: [], close: [], g)))
                pending = [UInt8(ascii: "]"), UInt8(ascii: "}")]
                continue
            }
            steps.append(.init(prefix: pending, name: key, get: get))
            pending = []
        }
        pending.append(UInt8(ascii: "}"))
    }

    private static func compileXML(_ fields: [(String, Field)], pending: inout [UInt8], steps: inout [WireProgram<Subject>.Step]) {
        for (key, field) in fields {
            let get: WireProgram<Subject>.Getter
            switch field {
            case .constant(let v): XMLWriter.element(key, v, into: &pending); continue
            case .object(let shape):
                XMLWriter.open(key, into: &pending)
                compileXML(shape.fields, pending: &pending, steps: &steps)
                XMLWriter.close(key, into: &pending)
                continue
            case .single(let item, let shape):
                XMLWriter.open(key, into: &pending)
                XMLWriter.open(item, into: &pending)
                compileXML(shape.fields, pending: &pending, steps: &steps)
                XMLWriter.close(item, into: &pending)
                XMLWriter.close(key, into: &pending)
                continue
            case .value(let g):
                // The generic writer writes the whole element (an unwrapped array is no element).
                steps.append(.init(prefix: pending, name: key, get: .value(g)))
                pending = []
                continue
            case .strings(let item, let g):
                var open: [UInt8] = [], close: [UInt8] = []
                XMLWriter.open(item, into: &open)
                XMLWriter.close(item, into: &close)
                XMLWriter.open(key, into: &pending)
                steps.append(.init(prefix: pending, name: key, get: .strings(open: open, close: close, g)))
                pending = []
                XMLWriter.close(key, into: &pending)
                continue
            case .string(let g): get = .string(g)
            case .integer(let g): get = .integer(g)
            case .boolean(let g): get = .boolean(g)
            }
            XMLWriter.open(key, into: &pending)
            steps.append(.init(prefix: pending, name: key, get: get))
            pending = []
            XMLWriter.close(key, into: &pending)
        }
    }
}

/// A compiled shape: byte runs, each followed by one field read from the subject.
@usableFromInline struct WireProgram<Subject>: Sendable {
    @usableFromInline enum Getter: Sendable {
        case string(@Sendable (Subject) -> String)
        case integer(@Sendable (Subject) -> Int)
        case boolean(@Sendable (Subject) -> Bool)
        case value(@Sendable (Subject) -> WireValue)
        /// JSON: strings separated by commas (open and close empty); XML: each inside open and close.
        case strings(open: [UInt8], close: [UInt8], @Sendable (Subject) -> [String])
    }
    @usableFromInline struct Step: Sendable {
        @usableFromInline let prefix: [UInt8]
        @usableFromInline let name: String
        @usableFromInline let get: Getter
    }
    @usableFromInline let steps: [Step]
    @usableFromInline let suffix: [UInt8]

    var constantBytes: Int { steps.reduce(suffix.count) { $0 + $1.prefix.count } }

    @inlinable func run(_ subject: Subject, json: Bool, into out: inout [UInt8]) {
        for step in steps {
            out.append(contentsOf: step.prefix)
            switch step.get {
            case .string(let get):
                if json { JSONWriter.writeString(get(subject), into: &out) } else { XMLWriter.escape(get(subject), into: &out) }
            case .integer(let get): JSONWriter.writeInteger(get(subject), into: &out)
            case .boolean(let get): JSONWriter.writeBoolean(get(subject), into: &out)
            case .value(let get):
                if json { JSONWriter.write(get(subject), into: &out) } else { XMLWriter.element(step.name, get(subject), into: &out) }
            case .strings(let open, let close, let get):
                for (i, string) in get(subject).enumerated() {
                    if json {
                        if i > 0 { out.append(UInt8(ascii: ",")) }
                        JSONWriter.writeString(string, into: &out)
                    } else {
                        out.append(contentsOf: open)
                        XMLWriter.escape(string, into: &out)
                        out.append(contentsOf: close)
                    }
                }
            }
        }
        out.append(contentsOf: suffix)
    }
}

/// The items of an ECS list (`"Instances": {"Instance": [...]}`), written through a shape.
public struct WireItems: Sendable, Equatable {
    public let item: String
    public let count: Int
    let estimatedJSONBytes: Int
    /// Writes every item: JSON objects separated by commas, or XML `<item>…</item>` elements.
    let write: @Sendable (_ json: Bool, _ out: inout [UInt8]) -> Void
    let tree: @Sendable () -> [WireValue]

    @usableFromInline init(item: String, count: Int, estimatedJSONBytes: Int,
                           write: @escaping @Sendable (_ json: Bool, _ out: inout [UInt8]) -> Void,
                           tree: @escaping @Sendable () -> [WireValue]) {
        self.item = item; self.count = count; self.estimatedJSONBytes = estimatedJSONBytes
        self.write = write; self.tree = tree
    }

    /// The items as `WireValue` trees.
    public var values: [WireValue] { tree() }

    public static func == (a: WireItems, b: WireItems) -> Bool { a.item == b.item && a.values == b.values }
}

extension WireShape where Subject: Sendable {
    /// An ECS list of `subjects`, each written through this shape.
    @inlinable public func list(item: String, _ subjects: [Subject]) -> WireValue {
        let shape = self
        var open: [UInt8] = [], close: [UInt8] = []
        XMLWriter.open(item, into: &open)
        XMLWriter.close(item, into: &close)
        let (itemOpen, itemClose) = (open, close)
        return .items(WireItems(
            item: item, count: subjects.count, estimatedJSONBytes: subjects.count * (estimatedJSONBytes + 1),
            write: { json, out in
                for (i, s) in subjects.enumerated() {
                    if json {
                        if i > 0 { out.append(UInt8(ascii: ",")) }
                        shape.writeJSON(s, into: &out)
                    } else {
                        out.append(contentsOf: itemOpen)
                        shape.writeXML(s, into: &out)
                        out.append(contentsOf: itemClose)
                    }
                }
            },
            tree: { subjects.map { .object(shape.object($0)) } }))
    }
}
