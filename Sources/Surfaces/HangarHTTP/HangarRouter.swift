import HTTPTypes
import Hummingbird

/// Routes registered beside the API's own, behind the same authentication: how `/metrics` (and
/// anything else a caller adds) joins the server. Register full paths (`"/metrics"`).
public typealias AuthenticatedRoutes = @Sendable (RouterGroup<APIRequestContext>) -> Void

/// Builds the router of `hangar serve`: request logging and JSON errors around everything, the
/// public routes (`/healthz`, the dashboard's files, the login), then everything else behind
/// the token or session.
public enum HangarRouter {
    public static func build(api: HangarAPI, authenticatedRoutes: [AuthenticatedRoutes] = []) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        let table = RouteTable()
        // Middleware applies to routes added after it, and to unmatched requests: added first.
        router.add(middleware: RequestLogMiddleware(logger: api.logger))
        router.add(middleware: ErrorMiddleware(routes: table, logger: api.logger))

        // Public: health for load balancers, the dashboard's files, and the login itself.
        HealthRoutes.register(on: router, api: api)
        DashboardRoutes.register(on: router, api: api)
        SessionRoutes.register(on: router, api: api)

        let authenticated = router.group().add(middleware: AuthMiddleware(authenticator: api.authenticator))
        OpenAPIRoutes.register(on: authenticated)
        FlightRoutes.register(on: authenticated, api: api)
        RunRoutes.register(on: authenticated, api: api)
        LogRoutes.register(on: authenticated, api: api)
        SecretRoutes.register(on: authenticated, api: api)
        ScheduleRoutes.register(on: authenticated, api: api)
        DatabaseRoutes.register(on: authenticated, api: api)
        LakeRoutes.register(on: authenticated, api: api)
        SQLRoutes.register(on: authenticated, api: api)
        // `/metrics` is registered here, by the caller (see `AuthenticatedRoutes`).
        for register in authenticatedRoutes { register(authenticated) }

        table.fill(router.routes.map { ($0.method, $0.path.description) })
        return router
    }
}
