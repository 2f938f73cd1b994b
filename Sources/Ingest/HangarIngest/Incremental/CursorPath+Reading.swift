extension CursorPath {
    /// The value the path leads to in the row at the parser's position, nil when it leads
    /// nowhere, read from the bytes: the whole row is consumed and checked as the whole-row reader
    /// would check it, but only the value at the path is built. A repeated key counts with its
    /// last value, as ``JSONReader`` keeps it.
    func value(readingRowFrom parser: inout JSONParser) throws(IngestError) -> IngestValue? {
        try value(from: &parser, step: 0, depth: 0)
    }

    private func value(from parser: inout JSONParser, step: Int, depth: Int) throws(IngestError) -> IngestValue? {
        guard step < steps.count else { return try parser.value(depth: depth) }
        var found: IngestValue?
        switch steps[step] {
        case .member:
            guard parser.beginObject() else {
                try parser.skipValue(depth: depth)
                return nil
            }
            let name = memberBytes[step]
            var first = true
            while let isName = try parser.nextMemberKey(first: first, is: name) {
                first = false
                if isName {
                    found = try value(from: &parser, step: step + 1, depth: depth + 1)
                } else {
                    try parser.skipValue(depth: depth + 1)
                }
            }
        case .index(let wanted):
            guard parser.beginArray() else {
                try parser.skipValue(depth: depth)
                return nil
            }
            var element = 0
            while try parser.nextElement(first: element == 0) {
                if element == wanted {
                    found = try value(from: &parser, step: step + 1, depth: depth + 1)
                } else {
                    try parser.skipValue(depth: depth + 1)
                }
                element += 1
            }
        }
        return found
    }
}
