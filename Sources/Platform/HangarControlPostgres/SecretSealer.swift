import Crypto
import Foundation
import HangarFlights

/// Seals secret values before they reach the control database, and opens them for a run.
///
/// The SQLite store protects secrets by the file: `control.sqlite` is its owner's alone (0600),
/// values never appear in errors, and listings show keys only. A shared PostgreSQL database is
/// reached over the network by every host and by whoever holds its credentials, read by backups
/// and replicas, so file modes protect nothing there: each value set is sealed with AES-256-GCM
/// under the control key, which every Hangar host holds in a file of its own (0600) and the
/// database never sees. The secret's name is the authenticated data, so a sealed value moved to
/// another name does not open.
public struct SecretSealer: ControlSealing {
    private let key: SymmetricKey

    /// A key of 32 bytes, e.g. read from `HANGAR_CONTROL_KEY_FILE`.
    public init(key: Data) throws(FlightsError) {
        guard key.count == 32 else {
            throw FlightsError.storage("the control key must be 32 bytes (got \(key.count)); make one with: head -c 32 /dev/urandom > control.key")
        }
        self.key = SymmetricKey(data: key)
    }

    public static func newKey() -> Data {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    public func seal(_ text: String, context: String) throws(FlightsError) -> any ControlArgument {
        do {
            guard let combined = try AES.GCM.seal(Data(text.utf8), using: key, authenticating: Data(context.utf8)).combined else {
                throw FlightsError.storage("sealing \(context) failed")
            }
            return combined
        } catch let error as FlightsError {
            throw error
        } catch {
            throw FlightsError.storage("sealing \(context) failed")
        }
    }

    public func open(_ value: ControlValue, context: String) throws(FlightsError) -> String {
        guard case .blob(let sealed) = value else {
            throw FlightsError.storage("the stored value of \(context) is not sealed")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return String(decoding: try AES.GCM.open(box, using: key, authenticating: Data(context.utf8)), as: UTF8.self)
        } catch {
            throw FlightsError.storage("\(context) does not open with this host's control key: every host must hold the same key (HANGAR_CONTROL_KEY_FILE)")
        }
    }
}
