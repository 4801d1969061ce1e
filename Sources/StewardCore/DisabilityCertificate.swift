/// The category on a disability certificate (残疾人证), with its national code digit.
public enum DisabilityCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case visual, hearing, speech, physical, intellectual, mental, multiple

    /// 视力 / 听力 / 言语 / 肢体 / 智力 / 精神 / 多重.
    public var chineseName: String {
        switch self {
        case .visual: return "视力"
        case .hearing: return "听力"
        case .speech: return "言语"
        case .physical: return "肢体"
        case .intellectual: return "智力"
        case .mental: return "精神"
        case .multiple: return "多重"
        }
    }

    /// The digit used for the category in certificate numbers (GB/T 26341: 1 visual … 7
    /// multiple).
    public var nationalCode: Int {
        Self.allCases.firstIndex(of: self)! + 1
    }

    /// Reads the code (`visual`), the Chinese name (`视力`, or `视力残疾`) or the digit (`1`).
    public init?(text: String) {
        let trimmed = text.trimmingWhitespace().lowercased()
        if let match = Self(rawValue: trimmed) { self = match; return }
        if let match = Self.allCases.first(where: { trimmed == $0.chineseName || trimmed == $0.chineseName + "残疾" }) {
            self = match
            return
        }
        if let digit = Int(trimmed), (1...7).contains(digit) { self = Self.allCases[digit - 1]; return }
        return nil
    }
}

/// A disability certificate. Grade 1 is the most severe, 4 the least; care subsidies go to
/// grades 1–2.
public struct DisabilityCertificate: Sendable, Hashable, Codable {
    /// The certificate number (usually the holder's identity number plus category and grade
    /// digits).
    public var number: String
    public var category: DisabilityCategory
    /// 1–4; 1 is the most severe.
    public var grade: Int
    public var issued: CivilDate
    /// The last day the certificate is valid.
    public var expiry: CivilDate

    public init(number: String, category: DisabilityCategory, grade: Int, issued: CivilDate, expiry: CivilDate) {
        self.number = number
        self.category = category
        self.grade = grade
        self.issued = issued
        self.expiry = expiry
    }

    /// Grade 1 or 2 (一级/二级, 重度): eligible for care subsidies.
    public var isSevere: Bool { grade <= 2 }

    /// True on days from issue to expiry inclusive.
    public func isValid(on date: CivilDate) -> Bool {
        date >= issued && date <= expiry
    }

    /// Days from `date` to the expiry date; 0 on the last valid day, negative once expired.
    public func daysUntilExpiry(from date: CivilDate) -> Int {
        date.days(until: expiry)
    }
}

extension DisabilityCertificate: Validatable {
    public func validationErrors() -> [ValidationError] {
        let record = "disability certificate"
        var errors = Check.name(number, record: record, field: "number")
        if !(1...4).contains(grade) {
            errors.append(Check.error(record, "grade", "The disability certificate grade is \(grade); it must be 1 to 4."))
        }
        if expiry < issued {
            errors.append(Check.error(record, "expiry",
                "The disability certificate expires (\(expiry)) before it was issued (\(issued))."))
        }
        return errors
    }
}
