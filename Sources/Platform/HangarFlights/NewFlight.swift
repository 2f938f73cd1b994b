/// Everything `create` takes. Only `name` and `sourceCode` are required; the content fields make
/// version 1.
public struct NewFlight: Sendable, Hashable {
    public var name: String
    public var sourceCode: String
    public var runtime: FlightRuntime
    public var requirementsTxt: String?
    /// 5-field cron, UTC; nil or empty for an on-demand flight.
    public var scheduleCron: String?
    public var catchUp: CatchUpPolicy
    public var config: [String: String]
    public var secretNames: [String]
    public var accessTokenName: String?
    public var maxRuntimeSec: Int?
    public var instanceType: String?

    public init(
        name: String, sourceCode: String, runtime: FlightRuntime = .python, requirementsTxt: String? = nil,
        scheduleCron: String? = nil, catchUp: CatchUpPolicy = .latest, config: [String: String] = [:],
        secretNames: [String] = [], accessTokenName: String? = nil, maxRuntimeSec: Int? = nil,
        instanceType: String? = nil
    ) {
        self.name = name
        self.sourceCode = sourceCode
        self.runtime = runtime
        self.requirementsTxt = requirementsTxt
        self.scheduleCron = scheduleCron
        self.catchUp = catchUp
        self.config = config
        self.secretNames = secretNames
        self.accessTokenName = accessTokenName
        self.maxRuntimeSec = maxRuntimeSec
        self.instanceType = instanceType
    }
}
