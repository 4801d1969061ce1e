/// Why a row of an imported file was refused: one case per kind of mistake, each with a
/// message in Chinese and in English that names the offending value.
public enum ImportProblem: Error, Sendable, Equatable {
    case missingColumn(String)
    /// Nothing at all in the file, not even a header: most likely the wrong file, or an
    /// export that failed, and an import that adds nothing should not look like success.
    case emptyFile
    case missingValue(field: String)
    case badIdentityNumber(text: String, detail: IdentityDetail)
    case unknownTown(String)
    case unknownCommunity(community: String, town: String)
    case impossibleDate(field: String, text: String)
    case duplicateInFile(firstLine: Int)
    case duplicateInDatabase(existingName: String)
    case badMoney(field: String, text: String)
    case sexMismatch(given: String, fromIdentity: String)
    case birthDateMismatch(given: String, fromIdentity: String)
    case badValue(field: String, text: String)
    case unknownFacility(String)
    case occupancyAboveCapacity(occupancy: Int, capacity: Int)
    case wrongFieldCount(expected: Int, found: Int)
    /// A union card number already on an earlier line of the file (card numbers are unique).
    case unionCardInFile(number: String, firstLine: Int)
    /// A union card number that already belongs to another member in the database.
    case unionCardInDatabase(number: String, existingName: String)
    /// A value holding a control character (`U+0000`, an escape...). SQLite keeps text as C
    /// strings, so a NUL would silently cut the value short; the others are invisible in a
    /// spreadsheet and would reach terminals through exports. `character` is its `U+XXXX`.
    case controlCharacter(field: String, character: String)

    /// Which identity-number check failed.
    public enum IdentityDetail: Sendable, Equatable {
        case length(Int)
        case notDigit(position: Int)
        case birthDate(String)
        case checkDigit(expected: Character, found: Character)
    }

    public func message(_ language: ImportLanguage) -> String {
        switch language {
        case .chinese: chinese
        case .english: english
        }
    }

    private var english: String {
        switch self {
        case let .missingColumn(column): "the file has no '\(column)' column"
        case .emptyFile: "the file is empty: it has no header and no rows"
        case let .missingValue(field): "\(field) is empty"
        case let .badIdentityNumber(text, detail):
            switch detail {
            case let .length(count): "identity number '\(text)' has \(count) characters, not 18"
            case let .notDigit(position): "identity number '\(text)' has a wrong character at position \(position)"
            case let .birthDate(date): "identity number '\(text)' contains an impossible birth date \(date)"
            case let .checkDigit(expected, found):
                "identity number '\(text)' has check digit \(found), but its digits require \(expected)"
            }
        case let .unknownTown(town): "unknown town or sub-district '\(town)'"
        case let .unknownCommunity(community, town): "unknown community or village '\(community)' in \(town)"
        case let .impossibleDate(field, text): "\(field) '\(text)' is not a real date"
        case let .duplicateInFile(line): "the same person as line \(line)"
        case let .duplicateInDatabase(name): "this identity number is already in the database, for \(name)"
        case let .badMoney(field, text): "\(field) '\(text)' is not an amount of money (yuan, at most 2 decimals)"
        case let .sexMismatch(given, identity): "sex '\(given)' does not match the identity number, which says \(identity)"
        case let .birthDateMismatch(given, identity):
            "birth date \(given) does not match the identity number, which says \(identity)"
        case let .badValue(field, text): "\(field) '\(text)' is not a valid value"
        case let .unknownFacility(code): "unknown facility '\(code)'"
        case let .occupancyAboveCapacity(occupancy, capacity): "occupancy \(occupancy) is above capacity \(capacity)"
        case let .wrongFieldCount(expected, found): "\(found) fields, but the header has \(expected)"
        case let .unionCardInFile(number, line): "union card number '\(number)' is already used on line \(line)"
        case let .unionCardInDatabase(number, name): "union card number '\(number)' already belongs to \(name) in the database"
        case let .controlCharacter(field, character): "\(field) contains the control character \(character), which cannot be stored"
        }
    }

    private var chinese: String {
        switch self {
        case let .missingColumn(column): "文件缺少“\(column)”列"
        case .emptyFile: "文件为空：没有表头，也没有数据行"
        case let .missingValue(field): "\(field)为空"
        case let .badIdentityNumber(text, detail):
            switch detail {
            case let .length(count): "身份证号“\(text)”有\(count)位，应为18位"
            case let .notDigit(position): "身份证号“\(text)”第\(position)位字符有误"
            case let .birthDate(date): "身份证号“\(text)”中的出生日期\(date)不存在"
            case let .checkDigit(expected, found): "身份证号“\(text)”校验码为\(found)，应为\(expected)"
            }
        case let .unknownTown(town): "未知的镇（街道）“\(town)”"
        case let .unknownCommunity(community, town): "\(town)没有社区（村）“\(community)”"
        case let .impossibleDate(field, text): "\(field)“\(text)”不是有效日期"
        case let .duplicateInFile(line): "与第\(line)行是同一人"
        case let .duplicateInDatabase(name): "该身份证号已在数据库中（\(name)）"
        case let .badMoney(field, text): "\(field)“\(text)”不是有效金额（元，最多两位小数）"
        case let .sexMismatch(given, identity): "性别“\(given)”与身份证号不符（身份证号为\(identity)）"
        case let .birthDateMismatch(given, identity): "出生日期\(given)与身份证号不符（身份证号为\(identity)）"
        case let .badValue(field, text): "\(field)“\(text)”无效"
        case let .unknownFacility(code): "未知的机构“\(code)”"
        case let .occupancyAboveCapacity(occupancy, capacity): "入住人数\(occupancy)超过容量\(capacity)"
        case let .wrongFieldCount(expected, found): "本行有\(found)个字段，表头有\(expected)个"
        case let .unionCardInFile(number, line): "工会卡号“\(number)”与第\(line)行重复"
        case let .unionCardInDatabase(number, name): "工会卡号“\(number)”已属于数据库中的\(name)"
        case let .controlCharacter(field, character): "\(field)含有控制字符\(character)，无法保存"
        }
    }
}

/// A refused row: the file's line number and the problem.
public struct ImportRowError: Sendable, Equatable {
    public let line: Int
    public let problem: ImportProblem

    public func message(_ language: ImportLanguage) -> String {
        switch language {
        case .chinese: "第\(line)行：" + problem.message(language)
        case .english: "line \(line): " + problem.message(language)
        }
    }
}
