import ArgumentParser
import HangarAccount
import HangarControlPostgres
import HangarFlights

/// The options every flights command takes.
struct FlightCommandOptions: ParsableArguments {
    @Option(help: "The Hangar home (default $HANGAR_HOME, else ~/.hangar).")
    var home: String?

    @Flag(help: "Print JSON instead of tables, with the SQL surface's field names.")
    var json = false

    var hangarHome: HangarHome { HangarHome.resolve(explicit: home) }

    func openFlights() throws -> Flights {
        try ControlStoreSelection.flights(home: hangarHome)
    }
}
