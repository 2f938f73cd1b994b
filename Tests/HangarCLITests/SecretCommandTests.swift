import Foundation
import HangarTestSupport
import Testing

/// `secret create|list|delete`.
struct SecretCommandTests {
    @Test func createListReplaceAndDelete() throws {
        let home = try FlightsTestHome()
        #expect(try home.hangar("secret", "list").stderr.contains("No secrets yet"))
        #expect(try home.hangar("secret", "list", "--json").stdout == "[]\n")
        let created = try JSONOutput.object(try home.hangar("secret", "create", "api", "TOKEN=a=b", "--json").stdout)
        #expect(created["name"] as? String == "api")
        #expect(created["keys"] as? [String] == ["TOKEN"])

        let exists = try home.hangar("secret", "create", "API", "TOKEN=c")
        #expect(exists.status == 5)
        #expect(exists.stderr.contains("already exists"))
        let replaced = try home.hangar("secret", "create", "api", "TOKEN=c", "USER=d", "--replace")
        #expect(replaced.status == 0, "\(replaced.stderr)")

        let table = try home.hangar("secret", "list").stdout.split(separator: "\n")
        #expect(table.count == 2)
        #expect(table[0].hasPrefix("NAME  KEYS"))
        #expect(table[1].hasPrefix("api   TOKEN,USER"))

        let deleted = try home.hangar("secret", "delete", "api", "--json")
        #expect(try JSONOutput.object(deleted.stdout)["deleted_count"] as? Int == 1)
        let gone = try home.hangar("secret", "delete", "api")
        #expect(gone.status == 3)
        #expect(gone.stderr == "Error: secret \"api\" does not exist; list secrets to see which exist\n")
    }

    @Test func badParamsAreRefusedWithoutEchoingThem() throws {
        let home = try FlightsTestHome()
        let noKey = try home.hangar("secret", "create", "api", "hunter2-value")
        #expect(noKey.status == 4)
        #expect(noKey.stderr.contains("param 1 has no '='"))
        #expect(!noKey.stderr.contains("hunter2"))
        let empty = try home.hangar("secret", "create", "api", "=value-x")
        #expect(empty.status == 4)
        #expect(!empty.stderr.contains("value-x"))
        let reserved = try home.hangar("secret", "create", "api", "HANGAR_X=value-y")
        #expect(reserved.status == 4)
        #expect(!reserved.stderr.contains("value-y"))
        #expect(try home.hangar("secret", "create", "api").status == 64)
    }

    @Test func aKeyAloneTakesItsValueFromTheEnvironment() throws {
        let home = try FlightsTestHome()
        let output = try HangarProcess.run(["secret", "create", "env", "FROM_ENV", "--json", "--home", home.home],
                                           environment: ["FROM_ENV": "value-from-environment"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try JSONOutput.object(output.stdout)["keys"] as? [String] == ["FROM_ENV"])
        let secrets = try home.flights().revealSecrets(named: ["env"])
        #expect(secrets.first?.params == ["FROM_ENV": "value-from-environment"])
    }
}
