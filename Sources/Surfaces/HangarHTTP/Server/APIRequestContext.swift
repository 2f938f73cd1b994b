import Hummingbird

/// The request context of every Hangar route.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }

    /// The same limit the API's own body reading applies (``JSONBody/maxBytes``).
    public var maxUploadSize: Int { JSONBody.maxBytes }
}
