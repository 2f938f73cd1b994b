import Foundation

/// What a pipeline remembers between runs, dlt's way: per-source sections, each with a
/// `resources` section per resource. It travels in each load package and commits with the data,
/// so the state in the destination always matches the data there.
public struct PipelineState: Sendable, Codable, Equatable {
    public var pipelineName: String
    public var datasetName: String
    /// Increases with every change.
    public private(set) var version: Int
    public var sources: [String: StateValue]

    public init(pipelineName: String, datasetName: String) {
        self.pipelineName = pipelineName
        self.datasetName = datasetName
        version = 0
        sources = [:]
    }

    enum CodingKeys: String, CodingKey {
        case pipelineName = "pipeline_name", datasetName = "dataset_name", version = "_state_version", sources
    }

    /// The state of one resource of one source.
    public func resource(_ resource: String, source: String) -> [String: StateValue] {
        sources[source]?.object?["resources"]?.object?[resource]?.object ?? [:]
    }

    public mutating func setResource(_ resource: String, source: String, to value: [String: StateValue]) {
        var sourceState = sources[source]?.object ?? [:]
        var resources = sourceState["resources"]?.object ?? [:]
        guard resources[resource]?.object != value else { return }
        resources[resource] = .object(value)
        sourceState["resources"] = .object(resources)
        sources[source] = .object(sourceState)
        version += 1
    }

    /// The state of a whole source (outside its resources' sections).
    public func source(_ source: String) -> [String: StateValue] {
        (sources[source]?.object ?? [:]).filter { $0.key != "resources" }
    }

    public mutating func setSource(_ source: String, to value: [String: StateValue]) {
        var sourceState = value
        sourceState["resources"] = sources[source]?.object?["resources"]
        guard sources[source] != .object(sourceState) else { return }
        sources[source] = .object(sourceState)
        version += 1
    }

    /// A digest of the content, stored with each state row.
    public var versionHash: String {
        StableHash.base64Digest(of: String(decoding: (try? jsonData(pretty: false)) ?? Data(), as: UTF8.self), bytes: 12)
    }

    public func jsonData(pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        return try encoder.encode(self)
    }

    public static func from(jsonData data: Data) throws -> PipelineState {
        try JSONDecoder().decode(PipelineState.self, from: data)
    }
}
