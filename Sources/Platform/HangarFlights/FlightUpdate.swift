/// One field of a PATCH: left alone, set, or explicitly NULL (SQL's `param := NULL`).
public enum PatchValue<Value: Sendable & Hashable>: Sendable, Hashable {
    case keep
    case set(Value)
    case null
}

/// An update as a PATCH: every field starts as `.keep`.
///
/// - Content fields (`sourceCode`, `runtime`, `requirementsTxt`, `config`, `secretNames`,
///   `accessTokenName`, `maxRuntimeSec`, `instanceType`) make a new version when the result
///   differs from the current version; fields not passed carry forward. `config` and
///   `secretNames` replace the whole map or list.
/// - Metadata fields (`name`, `scheduleCron`, `scheduleStatus`, `catchUp`) never make a version.
/// - `.null` clears a nullable option: requirements, access token, max runtime and instance type
///   become NULL, config and secret names empty, the schedule goes (as does `.set("")`), catch-up
///   returns to `latest`. `name`, `sourceCode`, `runtime` and `scheduleStatus` can't be NULL.
public struct FlightUpdate: Sendable, Hashable {
    public var name: PatchValue<String> = .keep
    public var sourceCode: PatchValue<String> = .keep
    public var runtime: PatchValue<FlightRuntime> = .keep
    public var requirementsTxt: PatchValue<String> = .keep
    public var scheduleCron: PatchValue<String> = .keep
    public var scheduleStatus: PatchValue<ScheduleStatus> = .keep
    public var catchUp: PatchValue<CatchUpPolicy> = .keep
    public var config: PatchValue<[String: String]> = .keep
    public var secretNames: PatchValue<[String]> = .keep
    public var accessTokenName: PatchValue<String> = .keep
    public var maxRuntimeSec: PatchValue<Int> = .keep
    public var instanceType: PatchValue<String> = .keep

    public init(
        name: PatchValue<String> = .keep, sourceCode: PatchValue<String> = .keep,
        runtime: PatchValue<FlightRuntime> = .keep, requirementsTxt: PatchValue<String> = .keep,
        scheduleCron: PatchValue<String> = .keep, scheduleStatus: PatchValue<ScheduleStatus> = .keep,
        catchUp: PatchValue<CatchUpPolicy> = .keep, config: PatchValue<[String: String]> = .keep,
        secretNames: PatchValue<[String]> = .keep, accessTokenName: PatchValue<String> = .keep,
        maxRuntimeSec: PatchValue<Int> = .keep, instanceType: PatchValue<String> = .keep
    ) {
        self.name = name
        self.sourceCode = sourceCode
        self.runtime = runtime
        self.requirementsTxt = requirementsTxt
        self.scheduleCron = scheduleCron
        self.scheduleStatus = scheduleStatus
        self.catchUp = catchUp
        self.config = config
        self.secretNames = secretNames
        self.accessTokenName = accessTokenName
        self.maxRuntimeSec = maxRuntimeSec
        self.instanceType = instanceType
    }
}
