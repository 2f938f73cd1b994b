import Foundation
import HangarRuntime
import Testing

struct PythonHintsTests {
    static let traceback = [
        "Traceback (most recent call last):",
        "  File \"/srv/hangar/runs/r1/work/main.py\", line 63, in <module>",
        "    main()",
        "  File \"/srv/hangar/runs/r1/work/main.py\", line 34, in main",
        "    os.environ.setdefault(\"HOME\", \"/tmp\")",
        "    ^^",
        "NameError: name 'os' is not defined",
    ]

    @Test func aMissingWellKnownModuleGetsAHintNamingTheImport() {
        #expect(PythonHints.missingImport(in: Self.traceback)
            == "hint: add \"import os\" at the top of the script (the guide's code lost its import lines)")
        #expect(PythonHints.missingImport(in: ["NameError: name 'dlt' is not defined. Did you mean: 'dir'?"])?.contains("\"import dlt\"") == true)
        #expect(PythonHints.missingImport(in: ["NameError: name 'pd' is not defined"])?.contains("\"import pandas as pd\"") == true)
        #expect(PythonHints.missingImport(in: ["NameError: name 'Path' is not defined"])?.contains("\"from pathlib import Path\"") == true)
    }

    @Test func otherNamesAndOtherErrorsGetNoHint() {
        #expect(PythonHints.missingImport(in: ["NameError: name 'repo_rowz' is not defined"]) == nil)
        #expect(PythonHints.missingImport(in: ["ModuleNotFoundError: No module named 'dlt'"]) == nil)
        #expect(PythonHints.missingImport(in: []) == nil)
    }

    @Test func theLastNameErrorDecides() {
        let lines = ["NameError: name 'json' is not defined", "During handling of the above exception, another exception occurred:",
                     "NameError: name 'httpx' is not defined"]
        #expect(PythonHints.missingImport(in: lines)?.contains("\"import httpx\"") == true)
    }
}
