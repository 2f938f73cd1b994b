import Testing
@testable import HangarRunner
