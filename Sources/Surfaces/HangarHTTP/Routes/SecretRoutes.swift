import Foundation
import HangarViews
import HangarFlights
import Hummingbird

/// `/api/v1/secrets`: names and param keys only. Values go in (PUT) and never come out, in
/// answers, errors or logs.
enum SecretRoutes {
    static func register(on routes: RouterGroup<APIRequestContext>, api: HangarAPI) {
        routes.get("/api/v1/secrets") { _, _ in
            let flights = api.flights
            let secrets = try await api.blocking { try flights.secrets() }
            return APIResponse.json(.object([("items", .array(secrets.map(\.json)))]))
        }

        routes.put("/api/v1/secrets/{name}") { request, context in
            let name = try secretName(context)
            // Sensitive: a JSON syntax error's detail could quote part of a value.
            let body = try await JSONBody.read(request, allowed: ["params"], sensitive: true)
            guard let params = try body.stringMap("params").value else {
                throw APIError.invalid("params", "params is required: an object of param names and values, e.g. {\"params\": {\"API_KEY\": \"…\"}}")
            }
            let flights = api.flights
            // PUT creates or replaces, as CREATE OR REPLACE SECRET does.
            let summary = try await api.blocking { try flights.createSecret(name: name, params: params, replace: true) }
            return APIResponse.json(summary.json)
        }

        routes.delete("/api/v1/secrets/{name}") { _, context in
            let name = try secretName(context)
            let flights = api.flights
            try await api.blocking { try flights.deleteSecret(name: name) }
            return APIResponse.empty()
        }
    }

    private static func secretName(_ context: APIRequestContext) throws -> String {
        guard let name = context.parameters.decoded("name"), !name.isEmpty else {
            throw APIError.invalid("name", "name a secret")
        }
        return name
    }
}
