import HangarMetrics
import Hummingbird
import NIOCore

/// `GET /metrics`: the server's metrics in Prometheus' text format, behind the token like the
/// API (a scrape config sets `authorization: {credentials: <token>}`).
public enum MetricsRoutes {
    public static func registration(_ metrics: MetricsExposition) -> AuthenticatedRoutes {
        { group in
            group.get("/metrics") { _, _ in
                var headers = HTTPFields()
                headers[.contentType] = MetricsExposition.contentType
                headers[.cacheControl] = "no-store"
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
            }
        }
    }
}
