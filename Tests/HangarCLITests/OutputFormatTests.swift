import Foundation
import HangarTestSupport
import Testing

@Suite struct OutputFormatTests {
    @Test func tableShowsNamesTypesAndRightAlignedNumbers() throws {
        let output = try HangarProcess.run(["sql", "-c", "SELECT 42 AS answer"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == """
            ┌─────────┐
            │ answer  │
            │ INTEGER │
            ├─────────┤
            │      42 │
            └─────────┘
            (1 row)

            """)
    }

    @Test func tableLeftAlignsTextAndShowsNull() throws {
        let output = try HangarProcess.run(["sql", "-c", "SELECT * FROM (VALUES ('a', 1), (NULL, 22)) AS t(name, n) ORDER BY n"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("│ a       │       1 │\n"))
        #expect(output.stdout.contains("│ NULL    │      22 │\n"))
        #expect(output.stdout.hasSuffix("(2 rows)\n"))
    }

    @Test func tableStreamsPastItsFirstBatchAndCountsEveryRow() throws {
        let output = try HangarProcess.run(["sql", "-c", "SELECT range AS i FROM range(25000)"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasSuffix("│  24999 │\n└────────┘\n(25000 rows)\n"))
        #expect(output.stdout.components(separatedBy: "\n").count == 25000 + 7)
    }

    @Test func emptyResultStillShowsItsColumns() throws {
        let table = try HangarProcess.run(["sql", "-c", "SELECT 1 AS a WHERE false"])
        #expect(table.stdout.contains("│    a    │"))
        #expect(table.stdout.hasSuffix("(0 rows)\n"))
        let json = try HangarProcess.run(["sql", "--json", "-c", "SELECT 1 AS a WHERE false"])
        #expect(json.stdout == "[]\n")
    }

    @Test func jsonKeepsTypesNullsAndNesting() throws {
        let sql = """
            SELECT 1 AS i, 'x"y' AS s, NULL AS n, [1, 2, 3] AS l, {'a': 1, 'b': 'y'} AS st,
                   true AS b, 2.5::DOUBLE AS d, 12.50::DECIMAL(5,2) AS dec, DATE '2024-01-02' AS day,
                   9223372036854775807 AS big
            """
        let output = try HangarProcess.run(["sql", "--json", "-c", sql])
        #expect(output.status == 0, "\(output.stderr)")
        // Keys come in column order, which a dictionary round trip would lose.
        #expect(output.stdout.hasPrefix(#"[{"i":1,"s":"x\"y","n":null,"l":[1,2,3],"st":{"a":1,"b":"y"}"#))
        #expect(output.stdout.contains(#""big":9223372036854775807}"#))
        let parsed = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]]
        let row = try #require(parsed?.first)
        #expect(parsed?.count == 1)
        #expect(row["i"] as? Int == 1)
        #expect(row["s"] as? String == "x\"y")
        #expect(row["n"] is NSNull)
        #expect(row["l"] as? [Int] == [1, 2, 3])
        let structure = try #require(row["st"] as? [String: Any])
        #expect(structure["a"] as? Int == 1)
        #expect(structure["b"] as? String == "y")
        #expect(row["b"] as? Bool == true)
        #expect(row["d"] as? Double == 2.5)
        #expect(row["dec"] as? Double == 12.5)
        #expect(row["day"] as? String == "2024-01-02")
    }

    @Test func jsonPrintsOneArrayPerResult() throws {
        let output = try HangarProcess.run(["sql", "--json", "-c", "SELECT 1 AS a UNION ALL SELECT 2 ORDER BY a; SELECT 'z' AS b"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "[{\"a\":1},\n{\"a\":2}]\n[{\"b\":\"z\"}]\n")
    }

    @Test func csvQuotesWhatNeedsQuotingAndKeepsNullApartFromEmpty() throws {
        let output = try HangarProcess.run(["sql", "--csv", "-c", #"SELECT 1 AS a, 'x,y' AS b, 'say "hi"' AS c, NULL AS d, '' AS e"#])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "a,b,c,d,e\r\n1,\"x,y\",\"say \"\"hi\"\"\",,\"\"\r\n")
    }

    @Test func statementsWithoutRowsPrintNothingButChangeCountsPrint() throws {
        let output = try HangarProcess.run([
            "sql", "--csv",
            "-c", "CREATE TABLE t (a INTEGER)",
            "-c", "SET threads = 1",
            "-c", "INSERT INTO t VALUES (1), (2)",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout == "Count\r\n2\r\n")
    }
}
