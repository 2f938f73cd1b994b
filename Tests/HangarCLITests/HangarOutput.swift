/// What one run of `hangar` printed, and how it exited.
struct HangarOutput {
    let status: Int32
    let stdout: String
    let stderr: String
}
