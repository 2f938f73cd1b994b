import Foundation
import HTTPTypes
import HangarFlights
import Hummingbird
import NIOCore

/// A request's JSON object body, read with a size limit and checked field by field: unknown
/// fields and fields of the wrong type are 400s naming the field, so a typo never passes
/// silently. Each accessor tells "absent" from `null` from a value, which PATCH needs.
struct JSONBody: Sendable {
    /// Bodies larger than this are refused with 413: the largest legitimate body, a flight with
    /// 200 KB of source and 20 KB of requirements, fits several times over.
    static let maxBytes = 1 << 20

    let fields: [String: JSONInput]

    /// Reads the body. An empty body is an empty object (every field absent). `sensitive`
    /// bodies (secret values) get no parser detail in errors, which could quote their text.
    static func read(_ request: Request, allowed: Set<String>, sensitive: Bool = false) async throws -> JSONBody {
        let data = try await bytes(of: request)
        if data.isEmpty { return JSONBody(fields: [:]) }
        if let type = request.headers[.contentType], !isJSON(type) {
            throw APIError(.unsupportedMediaType, "the request body must be JSON sent as Content-Type: application/json, not \(type)")
        }
        let value: JSONInput
        do {
            value = try JSONDecoder().decode(JSONInput.self, from: data)
        } catch {
            let detail = sensitive ? "" : Self.parserDetail(data).map { ": \($0)" } ?? ""
            throw APIError(.invalidInput, "the request body is not valid JSON\(detail)", parameter: "body")
        }
        guard case .object(let fields) = value else {
            throw APIError(.invalidInput, "the request body must be a JSON object, not \(value.kindName)", parameter: "body")
        }
        if let unknown = fields.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw APIError.invalid(unknown, "unknown field \"\(unknown)\"; this request takes \(allowed.sorted().joined(separator: ", "))")
        }
        return JSONBody(fields: fields)
    }

    /// The body's bytes, refusing more than ``maxBytes`` (by Content-Length when sent, and while
    /// reading when not).
    static func bytes(of request: Request) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            throw tooLarge()
        }
        var collected = ByteBuffer()
        for try await part in request.body {
            guard collected.readableBytes + part.readableBytes <= maxBytes else { throw tooLarge() }
            var part = part
            collected.writeBuffer(&part)
        }
        return Data(collected.readableBytesView)
    }

    private static func tooLarge() -> APIError {
        APIError(.payloadTooLarge, "the request body is larger than \(maxBytes / 1024) KiB")
    }

    private static func isJSON(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }

    /// Where the JSON goes wrong, in the parser's words ("Unexpected end of file during JSON
    /// parse."): JSONDecoder only says that it does not parse, JSONSerialization says why.
    private static func parserDetail(_ data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        }
    }

    // MARK: - Fields

    func contains(_ name: String) -> Bool { fields[name] != nil }

    func string(_ name: String) throws -> PatchValue<String> {
        switch fields[name] {
        case nil: return .keep
        case .null: return .null
        case .string(let text): return .set(text)
        case let other?: throw APIError.invalid(name, "\(name) must be a string, not \(other.kindName)")
        }
    }

    func bool(_ name: String) throws -> PatchValue<Bool> {
        switch fields[name] {
        case nil: return .keep
        case .null: return .null
        case .bool(let value): return .set(value)
        case let other?: throw APIError.invalid(name, "\(name) must be true or false, not \(other.kindName)")
        }
    }

    func int(_ name: String) throws -> PatchValue<Int> {
        switch fields[name] {
        case nil: return .keep
        case .null: return .null
        case .int(let number): return .set(number)
        case .double(let number) where number == number.rounded() && abs(number) < 1e15: return .set(Int(number))
        case let other?: throw APIError.invalid(name, "\(name) must be a whole number, not \(other.kindName)")
        }
    }

    func strings(_ name: String) throws -> PatchValue<[String]> {
        switch fields[name] {
        case nil: return .keep
        case .null: return .null
        case .array(let items):
            return .set(try items.map { item in
                guard case .string(let text) = item else {
                    throw APIError.invalid(name, "\(name) must be an array of strings; it holds \(item.kindName)")
                }
                return text
            })
        case let other?: throw APIError.invalid(name, "\(name) must be an array of strings, not \(other.kindName)")
        }
    }

    /// An object of string values (config, secret params). Values are never quoted in errors.
    func stringMap(_ name: String) throws -> PatchValue<[String: String]> {
        switch fields[name] {
        case nil: return .keep
        case .null: return .null
        case .object(let entries):
            var map: [String: String] = [:]
            for (key, value) in entries {
                guard case .string(let text) = value else {
                    throw APIError.invalid(name, "\(name) values must be strings; \"\(key)\" is \(value.kindName)")
                }
                map[key] = text
            }
            return .set(map)
        case let other?: throw APIError.invalid(name, "\(name) must be an object of strings, not \(other.kindName)")
        }
    }
}

extension PatchValue {
    /// The value when set; nil when absent or null (for create, where both mean "not given").
    var value: Value? {
        if case .set(let value) = self { return value }
        return nil
    }

    func map<Other>(_ transform: (Value) throws -> Other) rethrows -> PatchValue<Other> {
        switch self {
        case .keep: .keep
        case .null: .null
        case .set(let value): .set(try transform(value))
        }
    }
}
