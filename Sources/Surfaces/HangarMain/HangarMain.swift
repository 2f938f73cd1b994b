import HangarCLI

@main
enum HangarMain {
    static func main() async {
        if VersionReport.handle(Array(CommandLine.arguments.dropFirst())) { return }
        await HangarCommand.main()
    }
}
