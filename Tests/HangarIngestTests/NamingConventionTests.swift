import HangarIngest
import Testing

struct NamingConventionTests {
    /// Every example of the reference's naming table, plus the rules behind them.
    @Test(arguments: [
        ("createdAt", "created_at"), ("HTTPResponse", "http_response"), ("a+b", "axb"), ("e@mail", "eamail"),
        ("123abc", "_123abc"), ("trailing_", "trailingx"), ("__x__", "_xxx"), ("naïve", "na_ve"),
        ("  padded  ", "padded"), ("stargazers_count", "stargazers_count"), ("Owner Login", "owner_login"),
        ("a|b", "alb"), ("a*b", "axb"), ("kebab-case-name", "kebab_case_name"), ("ABCDef", "abc_def"),
        ("userID2Name", "user_id2_name"), ("x.y.z", "x_y_z"), ("日本", "x"), ("a  __  b", "a_b"),
    ])
    func normalizesLikeDlt(_ input: String, _ expected: String) throws {
        #expect(try NamingConvention().normalize(input) == expected)
    }

    @Test func pathsNormalizeEachPart() throws {
        let naming = NamingConvention()
        #expect(try naming.normalizePath("Owner__LoginName") == "owner__login_name")
        #expect(naming.makePath("github_repo_stats", "topics") == "github_repo_stats__topics")
    }

    @Test func emptyNamesAreRefusedWithTheName() throws {
        let error = #expect(throws: IngestError.self) { try NamingConvention().normalize("   ") }
        #expect(error?.kind == .invalidName)
        #expect(error?.message.contains("empty") == true)
    }

    @Test func longNamesAreShortenedWithAStableTag() throws {
        let naming = NamingConvention(maxLength: 20)
        let a = try naming.normalize(String(repeating: "a", count: 30) + "_one")
        let b = try naming.normalize(String(repeating: "a", count: 30) + "_two")
        #expect(a.count == 20 && b.count == 20)
        #expect(a != b)
        #expect(try naming.normalize(String(repeating: "a", count: 30) + "_one") == a)
        #expect(try naming.normalize("short") == "short")
    }
}
