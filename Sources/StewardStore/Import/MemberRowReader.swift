import StewardCore

/// Turns one row's values into a member, or the first problem found in it.
struct MemberRowReader {
    let importer: MemberImporter
    let towns: [String: Place]
    let localities: [String: [String: Place]]
    let facilities: Set<String>

    init(importer: MemberImporter, places: [Place], facilities: Set<String>) {
        self.importer = importer
        self.facilities = facilities
        var towns: [String: Place] = [:]
        var localities: [String: [String: Place]] = [:]
        for place in places where place.kind.level == 1 {
            towns[place.name] = place
            towns[place.code] = place
        }
        for place in places where place.kind.level == 2 {
            guard let parent = place.parentCode else { continue }
            localities[parent, default: [:]][place.name] = place
            localities[parent, default: [:]][place.code] = place
        }
        self.towns = towns
        self.localities = localities
    }

    private struct Refusal: Error { let problem: ImportProblem }

    func member(_ values: [MemberColumn: String]) -> Result<ImportedMember, ImportProblem> {
        do {
            return .success(try read(values))
        } catch let refusal as Refusal {
            return .failure(refusal.problem)
        } catch {
            return .failure(.badValue(field: "", text: "\(error)"))
        }
    }

    private func name(_ column: MemberColumn) -> String { importer.field(column) }

    private func required(_ values: [MemberColumn: String], _ column: MemberColumn) throws -> String {
        guard let value = values[column], !value.isEmpty else { throw Refusal(problem: .missingValue(field: name(column))) }
        return value
    }

    private func date(_ values: [MemberColumn: String], _ column: MemberColumn) throws -> CivilDate? {
        guard let text = values[column], !text.isEmpty else { return nil }
        guard let date = ImportValues.date(text) else { throw Refusal(problem: .impossibleDate(field: name(column), text: text)) }
        return date
    }

    private func flag(_ values: [MemberColumn: String], _ column: MemberColumn) throws -> Bool {
        let text = values[column] ?? ""
        guard let flag = ImportValues.flag(text) else { throw Refusal(problem: .badValue(field: name(column), text: text)) }
        return flag
    }

    private func present(_ values: [MemberColumn: String], _ columns: [MemberColumn]) -> Bool {
        columns.contains { !(values[$0] ?? "").isEmpty }
    }

    private func read(_ values: [MemberColumn: String]) throws -> ImportedMember {
        let fullName = try required(values, .name)
        let idText = try required(values, .idNumber)
        let identity: IdentityNumber
        do {
            identity = try IdentityNumber(idText)
        } catch {
            let detail: ImportProblem.IdentityDetail = switch error {
            case .wrongLength(_, let length): .length(length)
            case .notADigit(_, let position): .notDigit(position: position)
            case .invalidBirthDate(_, let birth): .birthDate(birth)
            case .wrongCheckCharacter(_, let expected, let found): .checkDigit(expected: expected, found: found)
            case .invalidRegion, .invalidSequence: .length(idText.count)
            }
            throw Refusal(problem: .badIdentityNumber(text: idText, detail: detail))
        }
        if let sexText = values[.sex], !sexText.isEmpty {
            guard let sex = Sex(text: sexText) else { throw Refusal(problem: .badValue(field: name(.sex), text: sexText)) }
            if sex != identity.sex {
                let said = importer.language == .chinese ? identity.sex.chineseName : identity.sex.rawValue
                throw Refusal(problem: .sexMismatch(given: sexText, fromIdentity: said))
            }
        }
        if let birth = try date(values, .birthDate), birth != identity.birthDate {
            throw Refusal(problem: .birthDateMismatch(given: birth.iso, fromIdentity: identity.birthDate.iso))
        }
        let townText = try required(values, .town)
        guard let town = towns[townText] else { throw Refusal(problem: .unknownTown(townText)) }
        var community: String?
        if let text = values[.community], !text.isEmpty {
            guard let place = localities[town.code]?[text] else {
                throw Refusal(problem: .unknownCommunity(community: text, town: town.name))
            }
            community = place.code
        }
        var member = Member(id: 0, identityNumber: identity, name: fullName, placeCode: town.code, communityCode: community)
        if let text = values[.phone], !text.isEmpty {
            guard let phone = try? PhoneNumber(text) else { throw Refusal(problem: .badValue(field: name(.phone), text: text)) }
            member.phone = phone
        }
        member.household = HouseholdFlags(minimumLivingAllowance: try flag(values, .minimumLiving),
                                          extremeHardship: try flag(values, .extremeHardship),
                                          registeredPoor: try flag(values, .registeredPoor))
        if present(values, [.disabilityCategory, .disabilityGrade, .certificateExpiry, .certificateNumber, .certificateIssued]) {
            member.disability = try certificate(values, identity: identity)
        }
        if present(values, [.unionCard, .unionCardIssued, .modelWorker, .newFormWorker]) {
            member.unionCard = try unionCard(values)
        }
        if present(values, [.elderly, .emptyNest, .livingAlone, .dependent, .homeVisitHours]) {
            let hoursText = values[.homeVisitHours] ?? ""
            guard let hours = hoursText.isEmpty ? 0 : Int(hoursText), hours >= 0 else {
                throw Refusal(problem: .badValue(field: name(.homeVisitHours), text: hoursText))
            }
            let registered = try flag(values, .elderly) || (values[.elderly] ?? "").isEmpty
            if registered {
                member.elderly = ElderlyStatus(emptyNest: try flag(values, .emptyNest), livingAlone: try flag(values, .livingAlone),
                                               dependent: try flag(values, .dependent), homeVisitHoursPerQuarter: hours)
            }
        }
        if present(values, [.university, .admissionYear, .householdIncome, .appliedOn]) {
            member.student = try student(values)
        }
        if present(values, [.rehabCentre, .rehabStart]) {
            let centre = try required(values, .rehabCentre)
            guard facilities.contains(centre) else { throw Refusal(problem: .unknownFacility(centre)) }
            guard let start = try date(values, .rehabStart) else { throw Refusal(problem: .missingValue(field: name(.rehabStart))) }
            member.rehabChild = RehabChild(centreCode: centre, programmeStart: start)
        }
        for tag in ImportValues.tags(values[.tags] ?? "") {
            guard Member.isValidTag(tag) else { throw Refusal(problem: .badValue(field: name(.tags), text: tag)) }
            member.tags.insert(tag)
        }
        if let error = member.validationErrors().first {
            throw Refusal(problem: .badValue(field: error.field, text: error.message))
        }
        let employer = values[.employer].flatMap { $0.isEmpty ? nil : $0 }
        return ImportedMember(member: member, employer: employer)
    }

    private func certificate(_ values: [MemberColumn: String], identity: IdentityNumber) throws -> DisabilityCertificate {
        let categoryText = try required(values, .disabilityCategory)
        guard let category = DisabilityCategory(text: categoryText) else {
            throw Refusal(problem: .badValue(field: name(.disabilityCategory), text: categoryText))
        }
        let gradeText = try required(values, .disabilityGrade)
        let gradeDigits = gradeText.replacingOccurrences(of: "级", with: "")
        let chineseGrades = ["一": 1, "二": 2, "三": 3, "四": 4]
        guard let grade = Int(gradeDigits) ?? chineseGrades[gradeDigits], (1...4).contains(grade) else {
            throw Refusal(problem: .badValue(field: name(.disabilityGrade), text: gradeText))
        }
        guard let expiry = try date(values, .certificateExpiry) else {
            throw Refusal(problem: .missingValue(field: name(.certificateExpiry)))
        }
        // Certificates run ten years; without an issue date, assume the full term.
        let issued = try date(values, .certificateIssued) ?? max(identity.birthDate, (try? expiry.adding(years: -10)) ?? expiry)
        let number = values[.certificateNumber].flatMap { $0.isEmpty ? nil : $0 }
            ?? identity.value + String(category.nationalCode) + String(grade)
        return DisabilityCertificate(number: number, category: category, grade: grade, issued: issued, expiry: expiry)
    }

    private func unionCard(_ values: [MemberColumn: String]) throws -> UnionCard {
        let number = try required(values, .unionCard)
        let issued = try date(values, .unionCardIssued) ?? importer.today
        let levelText = values[.modelWorker] ?? ""
        let level: ModelWorkerLevel? = ModelWorkerLevel(rawValue: levelText)
            ?? ModelWorkerLevel.allCases.first { $0.chineseName == levelText }
            ?? ImportValues.flag(levelText).map { $0 ? .district : .none }
        guard let level else { throw Refusal(problem: .badValue(field: name(.modelWorker), text: levelText)) }
        var newForm: NewFormWorkerKind?
        if let text = values[.newFormWorker], !text.isEmpty {
            guard let kind = NewFormWorkerKind(rawValue: text) ?? NewFormWorkerKind.allCases.first(where: { $0.chineseName == text })
            else { throw Refusal(problem: .badValue(field: name(.newFormWorker), text: text)) }
            newForm = kind
        }
        return UnionCard(cardNumber: number, issued: issued, modelWorker: level, newFormWorker: newForm)
    }

    private func student(_ values: [MemberColumn: String]) throws -> Student {
        let university = try required(values, .university)
        let yearText = try required(values, .admissionYear)
        guard let year = Int(yearText), (1900...9999).contains(year) else {
            throw Refusal(problem: .badValue(field: name(.admissionYear), text: yearText))
        }
        let incomeText = try required(values, .householdIncome)
        guard let income = try? Money(parsing: incomeText), !income.isNegative else {
            throw Refusal(problem: .badMoney(field: name(.householdIncome), text: incomeText))
        }
        guard let applied = try date(values, .appliedOn) else { throw Refusal(problem: .missingValue(field: name(.appliedOn))) }
        return Student(university: university, admissionYear: year, annualHouseholdIncome: income, appliedOn: applied)
    }
}
