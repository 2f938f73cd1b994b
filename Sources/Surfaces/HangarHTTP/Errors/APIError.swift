import Foundation
import HangarViews
import HTTPTypes
import HangarFlights
import Hummingbird

/// An error the API answers with: `{"error": {"code", "message", "parameter"}}` and a status. 4xx
/// for the caller's mistakes, with a message that says what was wrong and what to do; 5xx only
/// for Hangar's own failures. Messages never hold a secret value or the token.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// The error's kind; its raw value is the body's `code` field, which clients match on.
    public enum Kind: String, Sendable, CaseIterable {
        case invalidInput = "invalid_input"
        case unauthorized
        case notFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case conflict
        case payloadTooLarge = "payload_too_large"
        case unsupportedMediaType = "unsupported_media_type"
        case timeout
        case unavailable
        case `internal`

        public var status: HTTPResponse.Status {
            switch self {
            case .invalidInput: .badRequest
            case .unauthorized: .unauthorized
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .conflict: .conflict
            case .payloadTooLarge: .contentTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            // The statement ran past the caller's own limit: not a caller mistake, and not 408,
            // which browsers may silently retry.
            case .timeout: .gatewayTimeout
            case .unavailable: .serviceUnavailable
            case .internal: .internalServerError
            }
        }
    }

    public let kind: Kind
    public let message: String
    /// The request field or query parameter at fault, for `invalid_input`.
    public let parameter: String?
    /// Extra response headers (`Allow`, `WWW-Authenticate`).
    var headers: HTTPFields = [:]

    public init(_ kind: Kind, _ message: String, parameter: String? = nil) {
        self.kind = kind
        self.message = message
        self.parameter = parameter
    }

    public var description: String { "\(kind.rawValue): \(message)" }

    static func invalid(_ parameter: String, _ message: String) -> APIError {
        APIError(.invalidInput, message, parameter: parameter)
    }

    var json: JSONValue {
        .object([("error", .object([
            ("code", .string(kind.rawValue)), ("message", .string(message)), ("parameter", .string(parameter)),
        ]))])
    }

    func response() -> Response {
        var response = APIResponse.json(json, status: kind.status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// The platform's refusals keep their words and the parameter they name; anything else
    /// unexpected is Hangar's own failure.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as FlightsError:
            switch error.kind {
            case .notFound: return APIError(.notFound, error.message)
            case .invalidArgument: return APIError(.invalidInput, error.message, parameter: error.parameter.map(Self.httpName))
            case .conflict: return APIError(.conflict, error.message)
            case .storage: return APIError(.internal, error.message)
            }
        case let error as HTTPError:
            let kind = Kind.allCases.first { $0.status == error.status } ?? (error.status.code < 500 ? .invalidInput : .internal)
            return APIError(kind, error.body ?? error.status.reasonPhrase)
        default:
            return APIError(.internal, "the request failed inside Hangar: \(error)")
        }
    }

    /// The platform names parameters as the SQL surface does; the API's paging parameters are
    /// lower case.
    static func httpName(_ sqlName: String) -> String {
        ["LIMIT": "limit", "OFFSET": "offset", "ORDER": "order"][sqlName] ?? sqlName
    }
}
