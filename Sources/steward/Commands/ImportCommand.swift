import ArgumentParser
import Foundation
import StewardCore
import StewardStore

/// `steward import members|facilities FILE.csv`: a dry run unless `--commit`; any bad row
/// means nothing is written and the exit code is 2.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import members or facilities from a CSV file (dry run unless --commit).",
        discussion: "Headers in Chinese or English (姓名/name, 身份证号/id_number, 性别/sex, 出生日期/birth_date, "
            + "镇街/town, 社区/community, 电话/phone, 残疾类别/disability_category, 残疾等级/disability_grade, "
            + "证件有效期/certificate_expiry, 标签/tags, ...). UTF-8 with or without BOM, or GB18030. "
            + "Every bad row is reported with its line; if any row is bad nothing is written (exit 2). An empty file is refused the same way. "
            + "Rows already in the database are skipped, so importing a file twice adds nothing. "
            + "--commit needs an operator or above; a town-scoped user imports only rows of their own town. Audited.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case members, facilities
    }

    @Argument(help: "members or facilities")
    var kind: Kind

    @Argument(help: "The CSV file.")
    var file: String

    @Flag(help: "Write the rows (default: only show what would be added).")
    var commit = false

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let language = messageLanguage
        guard let data = FileManager.default.contents(atPath: file) else {
            throw fail(language == .chinese ? "无法读取文件 \(file)" : "cannot read \(file)")
        }
        let store = try database.open(.readWrite)
        let me = try AccessFailure.reporting {
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "import \(kind.rawValue)")
            try me.user.require(commit ? .importRecords : .read)
            return me
        }
        let actor = me.actingAdmin ?? me.user.name
        do {
            switch kind {
            case .members:
                let plan = try MemberImporter(language: language, today: CivilDate(Date())).plan(data, store: store)
                try requireInScope(plan.additions.map { ($0.0, $0.1.member.placeCode) }, me, store)
                try report(plan, language: language) { member in
                    "\(member.member.name) \(member.member.identityNumber.masked) \(member.member.placeCode)"
                }
                if commit {
                    let added = try store.commitMembers(plan, actor: actor, user: me.user.name, source: file)
                    print(language == .chinese ? "已导入 \(added) 人，\(plan.unchanged) 人已存在" :
                        "added \(added) members; \(plan.unchanged) already present")
                }
            case .facilities:
                let plan = try FacilityImporter(language: language).plan(data, store: store)
                try requireInScope(plan.additions.map { ($0.0, $0.1.placeCode) }, me, store)
                try report(plan, language: language) { "\($0.code) \($0.name) \($0.placeCode)" }
                if commit {
                    let added = try store.commitFacilities(plan, actor: actor, user: me.user.name, source: file)
                    print(language == .chinese ? "已导入 \(added) 个机构，\(plan.unchanged) 个已存在" :
                        "added \(added) facilities; \(plan.unchanged) already present")
                }
            }
        } catch let error as TextDecodingError {
            throw fail(language == .chinese ? "\(file)：\(error.chineseDescription)" : "\(file): \(error)")
        } catch let error as CSVError {
            throw fail(language == .chinese ? "\(file)：第\(error.line)行：CSV 格式错误（\(error.reason)）" : "\(file): \(error)")
        } catch let error as StoreError {
            throw fail(error.description)
        }
    }

    /// A town-scoped user imports only their own town's rows: any other row refuses the whole
    /// file (exit 4), naming the lines.
    private func requireInScope(_ rows: [(line: Int, place: String)], _ me: ActorResolver.Resolved, _ store: Store) throws {
        guard !me.isDistrictScope else { return }
        let directory = try store.read { try $0.placeDirectory() }
        let outside = rows.filter { !directory.isWithin($0.place, scope: me.user.scopePlaceCode) }
        guard !outside.isEmpty else { return }
        let scopeName = directory[me.user.scopePlaceCode]?.name ?? me.user.scopePlaceCode
        for row in outside.prefix(20) {
            printError("refused: line \(row.line): \(directory[row.place]?.name ?? row.place) is outside your scope (\(scopeName))")
        }
        if outside.count > 20 { printError("refused: … and \(outside.count - 20) more line(s) outside your scope") }
        throw fail("refused: \(file): \(outside.count) row(s) outside \(me.user.name)'s scope (\(scopeName)); nothing was written", .refused)
    }

    /// Prints bad rows (and exits 2) or what would be added.
    private func report<Record>(_ plan: ImportPlan<Record>, language: ImportLanguage,
                                describe: (Record) -> String) throws {
        if !plan.isClean {
            for error in plan.errors { printError(error.message(language)) }
            let summary = language == .chinese
                ? "\(file)：\(plan.errors.count) 行有误，未写入任何数据"
                : "\(file): \(plan.errors.count) bad row\(plan.errors.count == 1 ? "" : "s"); nothing was written"
            throw fail(summary)
        }
        for (line, record) in plan.additions {
            print(language == .chinese ? "+ 第\(line)行 \(describe(record))" : "+ line \(line): \(describe(record))")
        }
        if !commit {
            print(language == .chinese
                ? "将新增 \(plan.additions.count) 条，\(plan.unchanged) 条已存在（试运行；加 --commit 写入）"
                : "would add \(plan.additions.count); \(plan.unchanged) already present (dry run; --commit to write)")
        }
    }
}
