import Foundation
import StewardCore
import Testing
@testable import StewardStore

@Suite("Importing and exporting")
struct ImportExportTests {
    static let today = try! CivilDate(parsing: "2025-06-15")

    static func id(_ birth: String, _ sequence: Int) -> String {
        try! IdentityNumber.make(region: "320482", birthDate: try! CivilDate(parsing: birth), sequence: sequence).value
    }

    static let goodFile = """
        姓名,身份证号,性别,出生日期,镇街,社区,电话,残疾类别,残疾等级,证件有效期,标签
        赵丽,\(id("1980-04-01", 12)),女,1980/4/1,金城镇,后阳村,13912345678,肢体,二级,2025-07-01,"winter-warmth-2025;低保户"
        钱伟,\(id("1958-11-30", 31)),男,,儒林镇,,,,,,
        "孙,娜",\(id("2001-01-01", 42)),女,2001-01-01,320482001,东门社区,0519-82812345,,,,
        """

    func plan(_ text: String, _ store: Store, language: ImportLanguage = .english) throws -> ImportPlan<ImportedMember> {
        try MemberImporter(language: language, today: Self.today).plan(Data(text.utf8), store: store)
    }

    @Test("a good file: dry run plans, commit writes once, a second import adds nothing")
    func goodImport() throws {
        let fixture = try Fixture()
        let before = try dump(fixture.store, "members")
        let planned = try plan(Self.goodFile, fixture.store)
        #expect(planned.errors == [])
        #expect(planned.rowCount == 3)
        #expect(planned.additions.map(\.line) == [2, 3, 4])
        #expect(planned.additions.map(\.record.member.name) == ["赵丽", "钱伟", "孙,娜"])
        #expect(try dump(fixture.store, "members") == before)  // planning writes nothing

        #expect(try fixture.store.commitMembers(planned, actor: "admin", source: "people.csv", at: Fixture.now) == 3)
        #expect(try rows(fixture.store, """
            SELECT m.name, sex, birth_date, t.name, c.name, phone, disability_category, disability_grade, disability_cert_expiry
            FROM members m JOIN places t ON t.id = m.town_id LEFT JOIN places c ON c.id = m.community_id WHERE m.id > 3 ORDER BY m.id
            """) == [
                ["赵丽", "female", "1980-04-01", "金城镇", "后阳村", "13912345678", "physical", "2", "2025-07-01"],
                ["钱伟", "male", "1958-11-30", "儒林镇", "NULL", "NULL", "NULL", "NULL", "NULL"],
                ["孙,娜", "female", "2001-01-01", "东城街道", "东门社区", "0519-82812345", "NULL", "NULL", "NULL"],
            ])
        #expect(try rows(fixture.store, "SELECT tag FROM member_tags WHERE member_id = 4 ORDER BY tag")
            == [["winter-warmth-2025"], ["低保户"]])
        #expect(try rows(fixture.store, "SELECT action, object_id, details_json FROM audit WHERE action = 'import.members'")
            == [["import.members", "people.csv", #"{"added":"3","encoding":"UTF-8","unchanged":"0"}"#]])

        let again = try plan(Self.goodFile, fixture.store)
        #expect(again.additions.isEmpty)
        #expect(again.unchanged == 3)
        let afterFirst = try dump(fixture.store, "members")
        try fixture.store.commitMembers(again, actor: "admin", at: Fixture.now)
        #expect(try dump(fixture.store, "members") == afterFirst)
    }

    @Test("every kind of bad row is reported with its line, in English and Chinese, and nothing is written")
    func badRows() throws {
        let fixture = try Fixture()
        let good = Self.id("1980-04-01", 12)
        var wrongCheck = Self.id("1990-05-05", 14)
        let last = wrongCheck.removeLast()
        wrongCheck.append(last == "1" ? "2" : "1")
        let text = """
            name,id_number,sex,birth_date,town,university,admission_year,household_income,applied_on
            赵丽,\(good),female,,金城镇,,,,
            错号,\(wrongCheck),,,金城镇,,,,
            无镇,\(Self.id("1970-01-01", 16)),,,火星镇,,,,
            坏日,\(Self.id("1970-01-02", 18)),,1970-02-30,金城镇,,,,
            重复,\(good),,,金城镇,,,,
            库中,\(Self.id("1990-01-01", 2)),,,金城镇,,,,
            钱多,\(Self.id("2007-01-01", 22)),,,金城镇,南京大学,2025,12.345,2025-06-01
            男女,\(Self.id("1970-01-03", 20)),男,,金城镇,,,,
            """
        let before = try dump(fixture.store, "members")
        let planned = try plan(text, fixture.store)
        #expect(planned.errors.map(\.line) == [3, 4, 5, 6, 7, 8, 9])
        #expect(planned.errors.map { $0.message(.english) } == [
            "line 3: identity number '\(wrongCheck)' has check digit \(wrongCheck.last!), but its digits require \(last)",
            "line 4: unknown town or sub-district '火星镇'",
            "line 5: birth_date '1970-02-30' is not a real date",
            "line 6: the same person as line 2",
            "line 7: this identity number is already in the database, for 王芳",
            "line 8: household_income '12.345' is not an amount of money (yuan, at most 2 decimals)",
            "line 9: sex '男' does not match the identity number, which says female",
        ])
        let chinese = try plan(text, fixture.store, language: .chinese)
        #expect(chinese.errors.map { $0.message(.chinese) } == [
            "第3行：身份证号“\(wrongCheck)”校验码为\(wrongCheck.last!)，应为\(last)",
            "第4行：未知的镇（街道）“火星镇”",
            "第5行：出生日期“1970-02-30”不是有效日期",
            "第6行：与第2行是同一人",
            "第7行：该身份证号已在数据库中（王芳）",
            "第8行：家庭年收入“12.345”不是有效金额（元，最多两位小数）",
            "第9行：性别“男”与身份证号不符（身份证号为女）",
        ])
        #expect(!planned.isClean)
        #expect(try dump(fixture.store, "members") == before)
    }

    @Test("a GB18030 file from Chinese Excel imports like its UTF-8 original")
    func gb18030Import() throws {
        let fixture = try Fixture()
        let bytes = try CSVTests().iconv(Self.goodFile, to: "GB18030")
        let planned = try MemberImporter(language: .chinese, today: Self.today).plan(bytes, store: fixture.store)
        #expect(planned.encoding == .gb18030)
        #expect(planned.errors == [])
        #expect(planned.additions.map(\.record.member.name) == ["赵丽", "钱伟", "孙,娜"])
    }

    @Test("a file without the required columns is refused at the header")
    func missingColumns() throws {
        let fixture = try Fixture()
        let planned = try plan("姓名,电话\n王芳,13912345678\n", fixture.store, language: .chinese)
        #expect(planned.errors.map { $0.message(.chinese) } == ["第1行：文件缺少“身份证号”列", "第1行：文件缺少“镇街”列"])
    }

    @Test("an empty file is refused rather than reported as nothing to add")
    func emptyFiles() throws {
        let fixture = try Fixture()
        for text in ["", "\u{FEFF}", "\n\n"] {
            let planned = try plan(text, fixture.store, language: .english)
            #expect(planned.errors.map { $0.message(.english) } == ["line 1: the file is empty: it has no header and no rows"])
            #expect(planned.additions.isEmpty)
        }
        // A header alone is a file with no one in it yet (a template): an empty plan, as before.
        let headerOnly = try plan("姓名,身份证号,镇街\n", fixture.store, language: .chinese)
        #expect(headerOnly.isClean && headerOnly.additions.isEmpty)
        let facilities = try FacilityImporter(language: .english).plan(Data(), store: fixture.store)
        #expect(facilities.errors.map { $0.message(.english) } == ["line 1: the file is empty: it has no header and no rows"])
    }

    @Test("export masks by default; import → export --unmask → import adds nothing")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        let source = try Store.open(at: directory.path("source.db"), mode: .create)
        _ = try source.generateDemo(DemoOptions(members: 400, seed: 7, adminAccount: "tester"))
        func export(_ store: Store, unmask: Bool, chinese: Bool = false, format: ExportFormat = .csv) throws -> String {
            var text = ""
            _ = try store.read { snapshot in
                try Exporter(format: format, unmask: unmask, chineseHeaders: chinese).members(snapshot) { text += $0 }
            }
            return text
        }
        let masked = try export(source, unmask: false)
        #expect(masked.hasPrefix("\u{FEFF}name,id_number,sex,birth_date,town,community,phone,"))
        #expect(masked.contains("\r\n"))
        let firstID = try source.read { try $0.members(MemberQuery()).first!.identityNumber }
        #expect(!masked.contains(firstID.value))
        #expect(masked.contains(firstID.masked))

        for chinese in [false, true] {
            let full = try export(source, unmask: true, chinese: chinese)
            let target = try makeStore(directory, name: "target-\(chinese).db")
            // The rehabilitation centre members point at must exist in the target too.
            try target.addFacility(Facility(code: "jt-rehab-01", name: "康复中心", kind: .childRehabCentre,
                                            placeCode: "320482002", capacity: 120))
            let first = try MemberImporter(language: .english, today: Self.today).plan(Data(full.utf8), store: target)
            #expect(first.errors.map { $0.message(.english) } == [])
            #expect(first.additions.count == 400)
            try target.commitMembers(first, actor: "tester", at: Fixture.now)
            let reexported = try export(target, unmask: true, chinese: chinese)
            #expect(reexported == full)
            let second = try MemberImporter(language: .english, today: Self.today).plan(Data(reexported.utf8), store: target)
            #expect(second.additions.isEmpty)
            #expect(second.unchanged == 400)
        }
    }

    @Test("JSON exports, facilities, the ledger and budgets")
    func otherExports() throws {
        let fixture = try Fixture()
        try fixture.store.apply(ChangeSet([Fixture.grant("dream-2025", 123_456, member: fixture.members[0])]),
                                run: fixture.run(), actor: .district, at: Fixture.now)
        var budgets = ""
        var ledger = ""
        var facilities = ""
        var members = ""
        try fixture.store.read { snapshot in
            try Exporter(format: .csv, unmask: false, chineseHeaders: false).budgets(snapshot) { budgets += $0 }
            try Exporter(format: .json, unmask: false, chineseHeaders: false).ledger(snapshot) { ledger += $0 }
            try Exporter(format: .csv, unmask: false, chineseHeaders: true).facilities(snapshot) { facilities += $0 }
            try Exporter(format: .json, unmask: false, chineseHeaders: false).members(snapshot) { members += $0 }
        }
        #expect(budgets == "\u{FEFF}code,name,office,year,total,allocated,disbursed,refunded,adjusted,available\r\n"
            + "dream-2025,2025年圆梦助学,trade_union,2025,20000.00,0.00,1234.56,0.00,0.00,18765.44\r\n"
            + "relief-2025,2025年临时救助资金,civil_affairs,2025,3000000.00,0.00,0.00,0.00,0.00,3000000.00\r\n")
        #expect(ledger == """
            [
              {"id": 1, "created_at": "2025-06-15T00:00:00.000Z", "budget": "dream-2025", "kind": "disbursement", \
            "amount": "1234.56", "member_id": 1, "place": null, "facility": null, "programme": "dream-scholarship", \
            "benefit_kind": null, "period": "2025", "memo": "", "run_id": 1, "reverses_entry_id": null, "idempotency_key": null}
            ]

            """)
        #expect(facilities == "\u{FEFF}编号,名称,类型,镇街,社区,容量,在册人数,星级,认证,护理床位\r\n"
            + "jt-shelter,金坛区庇护托养中心,sheltered_care_centre,320482100,,2,1,,,\r\n")
        let decoded = try JSONSerialization.jsonObject(with: Data(members.utf8)) as? [[String: Any]]
        #expect(decoded?.count == 3)
        #expect(decoded?.first?["id_number"] as? String == "320482********002X".replacingOccurrences(
            of: "002X", with: String(Self.id("1990-01-01", 2).suffix(4))))
    }
}
