/// The key of an element of an unkeyed container in coding paths (`Index 3`), and of the
/// `super` key.
struct IndexCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init?(intValue: Int) {
        self.init(index: intValue)
    }

    static let superKey = IndexCodingKey(stringValue: "super")
}
