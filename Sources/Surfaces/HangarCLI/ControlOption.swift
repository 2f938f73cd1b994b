import Foundation
import HangarControlPostgres

#if canImport(Glibc)
import Glibc
#endif

/// `--control URL`, accepted before or after any command: the control store for this process
/// and every supervisor it starts, as `HANGAR_CONTROL` would set it. Taken out of the arguments
/// before they are parsed, so every command has it without declaring it.
public enum ControlOption {
    public static func apply(_ arguments: [String]) -> [String] {
        var remaining: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--control", index + 1 < arguments.count {
                setenv(ControlStoreSelection.variable, arguments[index + 1], 1)
                index += 2
                continue
            }
            if argument.hasPrefix("--control=") {
                setenv(ControlStoreSelection.variable, String(argument.dropFirst("--control=".count)), 1)
                index += 1
                continue
            }
            if argument == "--" {
                remaining += arguments[index...]
                break
            }
            remaining.append(argument)
            index += 1
        }
        return remaining
    }
}
