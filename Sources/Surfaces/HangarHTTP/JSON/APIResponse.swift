import Foundation
import HangarViews
import HTTPTypes
import Hummingbird
import NIOCore

/// Responses the API builds: JSON with a status, and empty ones.
enum APIResponse {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        // API answers are about live state; nothing in between should keep them.
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: value.text)))
    }

    static func empty(_ status: HTTPResponse.Status = .noContent) -> Response {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers)
    }
}
