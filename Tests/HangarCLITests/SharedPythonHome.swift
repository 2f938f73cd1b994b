import Foundation
import HangarTestSupport

/// One Hangar home for the end-to-end Python flight tests of this test process. A fresh home
/// installs uv and builds one Python environment per distinct requirements (tens of seconds for
/// dlt), so tests with the same needs share them here instead of building them again; each
/// test names its flights (and files) uniquely. The folder goes when the test process exits.
enum SharedPythonHome {
    private static let made: Result<FlightsTestHome, any Error> = Result { try FlightsTestHome(scratch: ProcessScratch.make()) }

    static func home() throws -> FlightsTestHome {
        try made.get()
    }
}
