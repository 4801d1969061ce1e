/// Sex as recorded on the resident identity card (the 17th digit: odd = male, even = female).
public enum Sex: String, Sendable, Hashable, Codable, CaseIterable {
    case male
    case female

    /// 男 / 女, as on the identity card and in CSV files with Chinese headers.
    public var chineseName: String {
        self == .male ? "男" : "女"
    }

    /// Reads `male`/`female`, `m`/`f`, `男`/`女` (case-insensitive, whitespace ignored).
    public init?(text: String) {
        switch text.trimmingWhitespace().lowercased() {
        case "male", "m", "男": self = .male
        case "female", "f", "女": self = .female
        default: return nil
        }
    }
}
