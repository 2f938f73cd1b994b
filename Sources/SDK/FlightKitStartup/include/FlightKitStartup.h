// FlightKitStartup has nothing to call: it holds a constructor that runs when libFlightKit.so is
// loaded (see FlightKitStartup.c).
