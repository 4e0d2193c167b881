import ECSDomain
import ECSKeys
import ECSStore

/// The domain services one server instance uses, built over one store.
public struct Services: Sendable {
    public let store: any Store
    public let clock: any Clock
    public let config: DomainConfig
    public let accounts: AccountService
    public let keyPairs: KeyPairService
    public let instances: InstanceService
    public let networks: NetworkService
    public let bindings: KeyBindingService
    public let securityGroups: SecurityGroupService
    public let tags: TagService
    public let ram: RAMService
    public let state: StateService
    public let faults: FaultService
    /// The ActionTrail audit trail's recorder (a `Service`: the application runs it).
    public let audit: AuditRecorder

    /// - Parameters:
    ///   - root: the account a reset restores (the configured one; defaults otherwise).
    ///   - keyPool: CreateKeyPair's keys made ahead of time (none: each made when asked).
    public init(store: any Store, clock: any Clock = SystemClock(), config: DomainConfig,
                root: RootAccount = RootAccount(id: ServerConfig.defaultAccountId, accessKeyId: ServerConfig.defaultAccessKeyId,
                                                secret: ServerConfig.defaultAccessKeySecret),
                audit: AuditConfig = AuditConfig(), keyPool: KeyPool? = nil) {
        self.store = store
        self.clock = clock
        self.config = config
        accounts = AccountService(store: store, clock: clock)
        keyPairs = KeyPairService(store: store, clock: clock, config: config, keyPool: keyPool)
        instances = InstanceService(store: store, clock: clock, config: config)
        networks = NetworkService(store: store, clock: clock, config: config)
        bindings = KeyBindingService(store: store, clock: clock)
        securityGroups = SecurityGroupService(store: store, clock: clock, config: config)
        tags = TagService(store: store)
        ram = RAMService(store: store, clock: clock)
        state = StateService(store: store, clock: clock, root: root)
        faults = FaultService(store: store, clock: clock)
        self.audit = AuditRecorder(store: store, clock: clock, config: audit)
    }
}
