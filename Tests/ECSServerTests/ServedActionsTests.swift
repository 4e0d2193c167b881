import ECSAPI
import ECSServer
import Testing

/// Every declared action has exactly one handler, and nothing is served that is not declared.
@Suite("Served actions")
struct ServedActionsTests {
    static func keys(_ specs: [ActionSpec]) -> [String] { specs.map { $0.product.rawValue + "/" + $0.name } }

    @Test func theServedSetIsTheDeclaredSet() {
        let declared = Self.keys(DeclarationJSON.actions)
        let served = ServedActions.all.map(\.key)
        #expect(Set(declared).count == declared.count, "an action is declared twice")
        #expect(Set(served).count == served.count, "an action is served twice")
        #expect(Set(served).subtracting(declared).isEmpty, "served but not declared: \(Set(served).subtracting(declared).sorted())")
        #expect(Set(declared).subtracting(served).isEmpty, "declared but not served: \(Set(declared).subtracting(served).sorted())")
    }

    @Test func everyIntegerParameterStatesItsRange() {
        for spec in DeclarationJSON.actions {
            for p in spec.params {
                if case .integer(let range, _, _) = p.kind {
                    #expect(range.upperBound <= Int(Int32.max), "\(spec.name).\(p.name) is not bounded to 32 bits")
                }
            }
        }
    }
}
