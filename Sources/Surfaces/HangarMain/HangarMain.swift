import HangarCLI

@main
enum HangarMain {
    static func main() async {
        let arguments = ControlOption.apply(Array(CommandLine.arguments.dropFirst()))
        if VersionReport.handle(arguments) { return }
        await HangarCommand.main(arguments)
    }
}
