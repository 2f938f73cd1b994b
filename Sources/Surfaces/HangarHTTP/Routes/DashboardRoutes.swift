import Foundation
import InstallLayout
import HTTPTypes
import Hummingbird
import NIOCore

/// The dashboard's files, served as they are (no build step, no CDN) and without
/// authentication: the page logs in itself. `GET /` is `index.html`, `GET /assets/…` the files of
/// `Dashboard/assets/`.
enum DashboardRoutes {
    static func register(on router: Router<APIRequestContext>, api: HangarAPI) {
        let files = DashboardFiles.locate()
        router.get("/") { _, _ in
            try await files.response(["index.html"], api: api)
        }
        router.get("/assets/**") { _, context in
            let components = context.parameters.getCatchAll().map(String.init)
            return try await files.response(["assets"] + components, api: api)
        }
    }
}

/// The dashboard's files (`InstallLayout.dashboard`: `share/hangar/dashboard` of an installed
/// Hangar, the sources' `Dashboard` folder in a checkout); `HANGAR_DASHBOARD` overrides.
struct DashboardFiles: Sendable {
    let folder: URL?

    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> DashboardFiles {
        if let override = environment["HANGAR_DASHBOARD"], !override.isEmpty {
            return DashboardFiles(folder: URL(fileURLWithPath: override, isDirectory: true))
        }
        guard let folder = InstallLayout.current(environment: environment)?.dashboard,
              FileManager.default.fileExists(atPath: folder.appendingPathComponent("index.html").path) else { return DashboardFiles(folder: nil) }
        return DashboardFiles(folder: folder)
    }

    func response(_ components: [String], api: HangarAPI) async throws -> Response {
        guard let folder else {
            throw APIError(.notFound, "the dashboard's files are not installed (share/hangar/dashboard beside the installed hangar); reinstall Hangar, or set HANGAR_DASHBOARD; the API works without them")
        }
        // Plain names only: no "..", no hidden files, nothing a decoded %2F could smuggle in.
        guard components.allSatisfy(Self.isPlainName) else {
            throw APIError(.notFound, "no dashboard file \(components.joined(separator: "/"))")
        }
        let file = components.reduce(folder) { $0.appendingPathComponent($1) }
        let data = try await api.blocking { try? Data(contentsOf: file) }
        guard let data else { throw APIError(.notFound, "no dashboard file \(components.joined(separator: "/"))") }
        var headers = HTTPFields()
        headers[.contentType] = Self.contentType(of: file.pathExtension)
        // No build step means no content hashes in names: browsers revalidate every time.
        headers[.cacheControl] = "no-cache"
        if let nosniff = HTTPField.Name("X-Content-Type-Options") { headers[nosniff] = "nosniff" }
        if let referrer = HTTPField.Name("Referrer-Policy") { headers[referrer] = "no-referrer" }
        if file.pathExtension == "html" {
            headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    static func contentType(of fileExtension: String) -> String {
        switch fileExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json", "map": "application/json; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
