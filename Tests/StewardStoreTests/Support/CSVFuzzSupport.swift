import Foundation
import GRDB
import StewardCore
@testable import StewardStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TestRandom

/// A members CSV file as a table of text, before it is written out as bytes.
struct MemberSheet {
    /// One person as the generator meant them, to compare what the importer makes of the row.
    struct Person: Equatable {
        var name: String
        var identity: String
        var townCode: String
        var communityCode: String?
        var phone: String?
        var disability: (category: DisabilityCategory, grade: Int)?
        var unionCard: String?
        var tags: Set<String>

        static func == (a: Person, b: Person) -> Bool {
            a.name == b.name && a.identity == b.identity && a.townCode == b.townCode && a.communityCode == b.communityCode
                && a.phone == b.phone && a.disability?.category == b.disability?.category
                && a.disability?.grade == b.disability?.grade && a.unionCard == b.unionCard && a.tags == b.tags
        }

        init(_ member: Member) {
            name = member.name
            identity = member.identityNumber.value
            townCode = member.placeCode
            communityCode = member.communityCode
            phone = member.phone?.value
            disability = member.disability.map { ($0.category, $0.grade) }
            unionCard = member.unionCard?.cardNumber
            tags = member.tags
        }

        init(name: String, identity: String, townCode: String, communityCode: String?, phone: String?,
             disability: (DisabilityCategory, Int)?, unionCard: String?, tags: Set<String>) {
            self.name = name
            self.identity = identity
            self.townCode = townCode
            self.communityCode = communityCode
            self.phone = phone
            self.disability = disability
            self.unionCard = unionCard
            self.tags = tags
        }
    }

    var header: [String]
    var rows: [[String]]
    var people: [Person]

    /// The places of the district, as the importer will look them up.
    struct Places {
        let towns: [Place]
        let communities: [String: [Place]]

        init(_ places: [Place]) {
            towns = places.filter { $0.kind.level == 1 }.sorted { $0.code < $1.code }
            var communities: [String: [Place]] = [:]
            for place in places where place.kind.level == 2 {
                if let parent = place.parentCode { communities[parent, default: []].append(place) }
            }
            self.communities = communities.mapValues { $0.sorted { $0.code < $1.code } }
        }
    }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
    static let given = Array("芳强静伟娜敏丽军磊洋勇艳杰涛明超秀霞平刚桂英华")

    /// A valid file of `count` new people (sequence numbers from `firstSequence` keep identity
    /// numbers apart from the ones already in the database).
    static func random(_ random: inout SplitMix64, places: Places, count: Int, firstSequence: Int = 500) -> MemberSheet {
        enum Column: CaseIterable { case sex, birth, community, phone, employer, minimumLiving, disability, union, tags }
        var optional = Column.allCases.filter { _ in random.chance(45) }
        optional.shuffle(using: &random)
        func header(_ column: MemberColumn) -> String {
            random.chance(50) ? column.chineseHeader : column.rawValue
        }
        var columns: [MemberColumn] = [.name, .idNumber, .town]
        for column in optional {
            switch column {
            case .sex: columns.append(.sex)
            case .birth: columns.append(.birthDate)
            case .community: columns.append(.community)
            case .phone: columns.append(.phone)
            case .employer: columns.append(.employer)
            case .minimumLiving: columns.append(.minimumLiving)
            case .disability: columns += [.disabilityCategory, .disabilityGrade, .certificateExpiry]
            case .union: columns += [.unionCard, .unionCardIssued]
            case .tags: columns.append(.tags)
            }
        }
        columns.shuffle(using: &random)
        var sheet = MemberSheet(header: columns.map(header), rows: [], people: [])

        for index in 0..<count {
            let birth = try! CivilDate(year: random.int(1930...2008), month: random.int(1...12), day: random.int(1...28))
            let sequence = firstSequence + index
            let identity = try! IdentityNumber.make(region: "320482", birthDate: birth, sequence: sequence)
            var name = String(random.pick(surnames)) + String(random.pick(given)) + (random.chance(50) ? String(random.pick(given)) : "")
            if random.chance(10) { name = random.pick(["欧阳,娜", "O'Brien \"Bo\"", "阿依古丽·买买提", "张 三"]) }
            let town = random.pick(places.towns)
            let community = places.communities[town.code].flatMap { $0.isEmpty || random.chance(40) ? nil : random.pick($0) }
            var person = Person(name: name, identity: identity.value, townCode: town.code, communityCode: nil, phone: nil,
                                disability: nil, unionCard: nil, tags: [])
            var row: [String] = []
            for column in columns {
                switch column {
                case .name: row.append(name)
                case .idNumber: row.append(random.chance(20) ? identity.value.lowercased() : identity.value)
                case .town: row.append(random.chance(50) ? town.name : town.code)
                case .sex:
                    let male = identity.sex == .male
                    row.append(random.chance(20) ? "" : random.pick(male ? ["男", "male", "M"] : ["女", "female", "f"]))
                case .birthDate:
                    let forms = [birth.iso, "\(birth.year)/\(birth.month)/\(birth.day)", birth.iso.replacingOccurrences(of: "-", with: ""),
                                 "\(birth.year)年\(birth.month)月\(birth.day)日", ""]
                    row.append(random.pick(forms))
                case .community:
                    if let community {
                        row.append(random.chance(50) ? community.name : community.code)
                        person.communityCode = community.code
                    } else {
                        row.append("")
                    }
                case .phone:
                    let phone = random.pick(["", "139\(random.int(10_000_000...99_999_999))", "0519-8\(random.int(1_000_000...9_999_999))"])
                    row.append(phone)
                    if !phone.isEmpty { person.phone = try! PhoneNumber(phone).value }
                case .employer: row.append(random.pick(["", "金坛区第一中学", "=HYPERLINK(\"x\")", "个体, 自雇"]))
                case .minimumLiving: row.append(random.pick(["", "是", "否", "yes", "0"]))
                case .disabilityCategory, .disabilityGrade, .certificateExpiry: row.append("")  // filled below
                case .unionCard, .unionCardIssued: row.append("")  // filled below
                case .tags:
                    let tags = (0..<random.int(0...3)).map { _ in random.pick(["低保户", "winter-2025", "独居", "a.b"]) }
                    row.append(tags.joined(separator: random.pick([";", "；", ","])))
                    person.tags = Set(tags)
                default: row.append("")
                }
            }
            // Groups that must be filled together.
            if let category = columns.firstIndex(of: .disabilityCategory), random.chance(50) {
                let kind = random.pick(DisabilityCategory.allCases)
                let grade = random.int(1...4)
                row[category] = random.chance(50) ? kind.chineseName : kind.rawValue
                row[columns.firstIndex(of: .disabilityGrade)!] = random.pick(["\(grade)", "\(["一", "二", "三", "四"][grade - 1])级"])
                row[columns.firstIndex(of: .certificateExpiry)!] = "20\(random.int(26...35))-0\(random.int(1...9))-1\(random.int(0...9))"
                person.disability = (kind, grade)
            }
            if let card = columns.firstIndex(of: .unionCard), random.chance(50) {
                let number = "JT\(100_000 + sequence)"
                row[card] = number
                row[columns.firstIndex(of: .unionCardIssued)!] = random.pick(["", "2020-05-01"])
                person.unionCard = number
            }
            sheet.rows.append(row)
            sheet.people.append(person)
        }
        return sheet
    }

    /// Ways of writing the same table that must not change what is imported.
    struct Layout: CustomStringConvertible {
        var quoteAll = false
        var lineEnding = "\n"
        var finalLineEnding = true
        var padUnquoted = false
        var bom = false
        var gb18030 = false

        var description: String {
            var parts: [String] = []
            if quoteAll { parts.append("quoted") }
            if lineEnding != "\n" { parts.append(lineEnding == "\r\n" ? "CRLF" : "CR") }
            if !finalLineEnding { parts.append("no final newline") }
            if padUnquoted { parts.append("padded") }
            if bom { parts.append("BOM") }
            if gb18030 { parts.append("GB18030") }
            return parts.isEmpty ? "plain" : parts.joined(separator: "+")
        }

        static func random(_ random: inout SplitMix64) -> Layout {
            Layout(quoteAll: random.chance(30), lineEnding: random.pick(["\n", "\r\n", "\r"]), finalLineEnding: random.chance(70),
                   padUnquoted: random.chance(20), bom: random.chance(30), gb18030: random.chance(25))
        }
    }

    /// The file's bytes.
    func bytes(_ layout: Layout = Layout()) -> Data {
        func field(_ text: String) -> String {
            let needsQuotes = text.contains { ",\"\r\n".contains($0) } || text.first?.isWhitespace == true
                || text.last?.isWhitespace == true
            if layout.quoteAll || needsQuotes {
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return layout.padUnquoted ? " " + text + "\t" : text
        }
        let lines = ([header] + rows).map { $0.map(field).joined(separator: ",") }
        let text = lines.joined(separator: layout.lineEnding) + (layout.finalLineEnding ? layout.lineEnding : "")
        var data = layout.gb18030 ? (gb18030Encode(text) ?? Data(text.utf8)) : Data(text.utf8)
        if layout.bom && !layout.gb18030 { data.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0) }
        return data
    }
}

/// UTF-8 text as GB18030 bytes, with the C library's iconv (as Chinese Excel would write it).
func gb18030Encode(_ text: String) -> Data? {
    TextDecoding.iconvConvert(Data(text.utf8), from: "UTF-8", to: "GB18030")
}
