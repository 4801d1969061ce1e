/// A typed value of a record's field, as carried by a record update (old → new).
///
/// Typed rather than stringly so that the store writes the right column type and a money
/// field can never receive a date.
public enum FieldValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    case money(Money)
    case date(CivilDate)
    case text(String)

    /// `null`, `true`, `42`, `¥12.00`, `2025-03-01`, `"text"`.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .integer(let value): return String(value)
        case .money(let value): return value.description
        case .date(let value): return value.iso
        case .text(let value): return "\"\(value)\""
        }
    }

    // One key naming the type: `{"money": 1200}`, `{"date": "2025-03-01"}`, `{"null": true}`.
    private enum CodingKeys: String, CodingKey { case null, bool, integer, money, date, text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let key = container.allKeys.first, container.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "A field value needs exactly one of null, bool, integer, money, date, text."))
        }
        switch key {
        case .null: self = .null
        case .bool: self = .bool(try container.decode(Bool.self, forKey: key))
        case .integer: self = .integer(try container.decode(Int64.self, forKey: key))
        case .money: self = .money(Money(fen: try container.decode(Int64.self, forKey: key)))
        case .date: self = .date(try container.decode(CivilDate.self, forKey: key))
        case .text: self = .text(try container.decode(String.self, forKey: key))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .null: try container.encode(true, forKey: .null)
        case .bool(let value): try container.encode(value, forKey: .bool)
        case .integer(let value): try container.encode(value, forKey: .integer)
        case .money(let value): try container.encode(value.fen, forKey: .money)
        case .date(let value): try container.encode(value, forKey: .date)
        case .text(let value): try container.encode(value, forKey: .text)
        }
    }
}
