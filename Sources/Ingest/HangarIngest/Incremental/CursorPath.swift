/// A cursor path parsed once: `"owner.updated_at"`, `"$.owner.updated_at"`, `"items[0].ts"`,
/// `"$['key.with.dots'].ts"`. Only member names and array indices: a cursor is one value per row,
/// so wildcards, slices, recursive descent and filters (which select several) are rejected.
struct CursorPath: Sendable, Equatable {
    enum Step: Sendable, Equatable {
        case member(String)
        case index(Int)
    }

    let text: String
    let steps: [Step]
    /// Each member step's name as UTF-8, for reading rows from their bytes (empty for indices).
    let memberBytes: [[UInt8]]

    /// The path's syntax problem, phrased to complete "cursor path "…" is not usable: ".
    struct SyntaxError: Error {
        let reason: String
    }

    init(_ text: String) throws(SyntaxError) {
        self.text = text
        var scalars = Array(text.unicodeScalars)[...]
        var steps: [Step] = []
        // After "$", the path goes on as after any step: with "." or "[".
        var expectName = scalars.first != "[" && scalars.first != "$"
        if scalars.first == "$" {
            scalars = scalars.dropFirst()
            if scalars.isEmpty { throw SyntaxError(reason: "\"$\" alone is the whole row, not a field in it") }
            guard scalars.first == "." || scalars.first == "[" else { throw SyntaxError(reason: "\"$\" must be followed by \".\" or \"[\"") }
        }
        while !scalars.isEmpty || expectName {
            if expectName {
                let name = scalars.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw SyntaxError(reason: "it has an empty member name") }
                guard !name.contains("*") else { throw SyntaxError(reason: "wildcards select several values; a cursor is one value per row") }
                steps.append(.member(String(String.UnicodeScalarView(name))))
                scalars = scalars.dropFirst(name.count)
                expectName = false
            } else if scalars.first == "." {
                scalars = scalars.dropFirst()
                guard scalars.first != "." else { throw SyntaxError(reason: "recursive descent (\"..\") selects several values; a cursor is one value per row") }
                expectName = true
            } else {  // "["
                scalars = scalars.dropFirst()
                guard let close = scalars.firstIndex(of: "]") else { throw SyntaxError(reason: "a \"[\" is not closed") }
                let inside = String(String.UnicodeScalarView(scalars[..<close]))
                scalars = scalars[scalars.index(after: close)...]
                if let index = Int(inside), index >= 0 {
                    steps.append(.index(index))
                } else if inside.count >= 2, let quote = inside.first, quote == "'" || quote == "\"", inside.last == quote {
                    steps.append(.member(String(inside.dropFirst().dropLast())))
                } else {
                    throw SyntaxError(reason: "\"[\(inside)]\" is neither an index nor a quoted member name (wildcards, slices and filters select several values; a cursor is one value per row)")
                }
                guard scalars.isEmpty || scalars.first == "." || scalars.first == "[" else {
                    throw SyntaxError(reason: "\"]\" must be followed by \".\" or \"[\"")
                }
            }
        }
        guard !steps.isEmpty else { throw SyntaxError(reason: "it is empty") }
        self.steps = steps
        memberBytes = steps.map { step in
            guard case .member(let name) = step else { return [] }
            return Array(name.utf8)
        }
    }

    /// The value the path leads to in `row`, nil when it leads nowhere.
    func value(in row: IngestValue) -> IngestValue? {
        var current = row
        for step in steps {
            switch (step, current) {
            case (.member(let name), .object(let fields)):
                guard let field = fields.first(where: { $0.key == name }) else { return nil }
                current = field.value
            case (.index(let index), .array(let items)):
                guard index < items.count else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
