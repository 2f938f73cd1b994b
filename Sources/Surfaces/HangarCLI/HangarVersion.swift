/// Hangar's own release number, kept apart so a release bump touches one line.
enum HangarVersion {
    static let current = "0.1.0"
}
