import ECSAPI

/// One action as the server serves it: its declaration (an `ECSAPI` constant such as
/// `ECSActions.detachKeyPair`, never a name string) and its handler, held together so that
/// neither can exist without the other. `ServedActionsTests` checks that the served set is
/// exactly the declared one.
package struct ServedAction: Sendable {
    let spec: ActionSpec
    let handler: ActionHandler

    init(_ spec: ActionSpec, _ handler: @escaping ActionHandler) {
        self.spec = spec
        self.handler = handler
    }

    /// `2014-05-26/DetachKeyPair`: actions are told apart by product and name.
    package var key: String { Self.key(spec.product, spec.name) }
    static func key(_ product: Product, _ action: String) -> String { product.rawValue + "/" + action }
}

/// Every action the server answers, looked up by product and name.
package struct ServedActions: Sendable {
    package static let all: [ServedAction] = KeyPairHandlers.all + InstanceHandlers.all + InstanceReadHandlers.all + CatalogHandlers.all
        + ZoneHandlers.all + SecurityGroupHandlers.all + TagHandlers.all + RAMHandlers.all + STSHandlers.all + ActionTrailHandlers.all
        + VPCHandlers.all + VPCReadHandlers.all

    private let byKey: [String: ServedAction]
    private let products: Set<String>

    init(_ actions: [ServedAction] = ServedActions.all) {
        byKey = Dictionary(actions.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        products = Set(actions.map(\.spec.product.rawValue))
    }

    func action(product: Product, name: String) -> ServedAction? { byKey[ServedAction.key(product, name)] }
    func serves(product: Product) -> Bool { products.contains(product.rawValue) }
}
