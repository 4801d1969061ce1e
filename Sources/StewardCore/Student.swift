/// A student in hardship admitted to university (贫困大学新生), applying for the dream
/// scholarship.
public struct Student: Sendable, Hashable, Codable {
    public var university: String
    public var admissionYear: Int
    /// The household's declared annual income: a priority criterion (lower first).
    public var annualHouseholdIncome: Money
    /// When the application was made: the tie-breaker in priority order (earlier first).
    public var appliedOn: CivilDate

    public init(university: String, admissionYear: Int, annualHouseholdIncome: Money, appliedOn: CivilDate) {
        self.university = university
        self.admissionYear = admissionYear
        self.annualHouseholdIncome = annualHouseholdIncome
        self.appliedOn = appliedOn
    }
}

extension Student: Validatable {
    public func validationErrors() -> [ValidationError] {
        var errors = Check.name(university, record: "student", field: "university")
        if !(1900...9999).contains(admissionYear) {
            errors.append(Check.error("student", "admission_year", "The admission year \(admissionYear) is not a plausible year."))
        }
        if annualHouseholdIncome.isNegative {
            errors.append(Check.error("student", "annual_household_income",
                "The annual household income \(annualHouseholdIncome) must not be negative."))
        }
        return errors
    }
}
