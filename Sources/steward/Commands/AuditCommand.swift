import ArgumentParser
import Foundation
import LuaRuntime
import StewardCore
import StewardScripting
import StewardStore

/// `steward audit [--since DATE] [--user NAME] [--run ID]`: the append-only audit trail.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit trail: commits, approvals, rejections, user changes, imports, uses of --as.",
        discussion: """
            Approvers and admins only. A town-scoped reader sees the rows of users in their town. \
            Times are shown in Asia/Shanghai; --format json gives them as stored (UTC, ISO 8601). \
            `actor` is the person who acted (the admin, when --as was used), `user` the Steward user \
            the action was taken as. The audit table is append-only: the database refuses to change \
            or delete a row.
            """)

    @Option(help: "Only rows from this date (YYYY-MM-DD, Asia/Shanghai) or instant (ISO 8601) on.")
    var since: String?

    @Option(help: "Only rows by this user, as the actor or as the user acted as.")
    var user: String?

    @Option(name: .customLong("run"), help: "Only rows about this run.")
    var runID: Int64?

    @Option(help: "At most this many of the newest rows.")
    var limit: Int?

    @Option(help: "text or json")
    var format: OutputFormat = .text

    @OptionGroup var acting: ActingOptions
    @OptionGroup var database: DatabaseOptions

    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    func run() throws {
        let sinceDate = try since.map(Self.parseSince)
        let store = try database.open(acting.asUser == nil ? .readOnly : .readWrite)
        try AccessFailure.reporting {
            let me = try ActorResolver.resolve(store, asName: acting.asUser, command: "audit")
            try me.user.require(.readAudit)
            let entries: [AuditEntry] = try store.read { snapshot in
                let all = try snapshot.auditEntries(since: sinceDate, user: user, runID: runID, limit: limit)
                guard !me.isDistrictScope else { return all }
                let directory = try snapshot.placeDirectory()
                let inScope = Set(try snapshot.users().filter {
                    directory.isWithin($0.scopePlaceCode, scope: me.user.scopePlaceCode)
                }.map(\.name))
                return all.filter { inScope.contains($0.record.actor) || $0.userName.map(inScope.contains) == true }
            }
            let times = entries.map { entry in Result { () throws(StoreError) in try entry.record.at() } }
            let details = entries.map { entry in Result { () throws(StoreError) in try entry.details() } }
            switch format {
            case .json: try printJSON(entries, times, details)
            case .text: printTable(entries, times, details)
            }
            try Self.reportUnreadable(zip(times, details).flatMap { [Self.failure($0), Self.failure($1)].compactMap { $0 } })
        }
    }

    /// Audit rows whose time or details do not decode. The table is append-only, so such a
    /// row cannot be corrected in place: the trail is still shown with the row marked, and then
    /// each error is printed, in row order, and the command fails (exit 2), so a damaged trail
    /// is not missed.
    static func reportUnreadable(_ errors: [StoreError]) throws {
        guard let last = errors.last else { return }
        for error in errors.dropLast() { printError("error: \(error.description)") }
        throw fail("error: \(last.description)")
    }

    static func parseSince(_ text: String) throws -> Date {
        if let day = try? CivilDate(parsing: text) {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            if let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) { return date }
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: text) { return date }
        iso.formatOptions = [.withInternetDateTime]
        if let date = iso.date(from: text) { return date }
        throw fail("error: --since \(text): write a date (2025-06-15) or an instant (2025-06-15T08:00:00Z)")
    }

    struct JSONRow: Encodable {
        let id: Int64
        /// Absent, with `atError` set, when the stored time does not parse.
        let at: String?
        let atError: String?
        let actor: String
        let user: String?
        let action: String
        let objectType: String?
        let objectId: String?
        let runId: Int64?
        let scriptHash: String?
        /// Absent, with `detailsError` set, when the stored details do not decode.
        let details: [String: String]?
        let detailsError: String?
    }

    func printJSON(_ entries: [AuditEntry], _ times: [Result<Date, StoreError>],
                   _ details: [Result<[String: String], StoreError>]) throws {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let rows = zip(entries, zip(times, details)).map { e, decoded in
            let (at, details) = decoded
            return JSONRow(id: e.record.id, at: Self.success(at).map(iso.string), atError: Self.failure(at)?.description,
                           actor: e.record.actor, user: e.userName, action: e.record.action,
                           objectType: e.record.objectType, objectId: e.record.objectID, runId: e.record.runID,
                           scriptHash: e.record.scriptHash, details: Self.success(details),
                           detailsError: Self.failure(details)?.description)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        writeOut(String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n")
    }

    static func success<Value>(_ stored: Result<Value, StoreError>) -> Value? {
        if case .success(let value) = stored { return value }
        return nil
    }

    static func failure<Value>(_ stored: Result<Value, StoreError>) -> StoreError? {
        if case .failure(let error) = stored { return error }
        return nil
    }

    func printTable(_ entries: [AuditEntry], _ times: [Result<Date, StoreError>],
                    _ details: [Result<[String: String], StoreError>]) {
        guard !entries.isEmpty else {
            print("no audit rows match")
            return
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Self.zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let rows = zip(entries, zip(times, details)).map { e, decoded -> [String] in
            let (at, stored) = decoded
            let r = e.record
            let object = [r.objectType, r.objectID].compactMap { $0 }.joined(separator: " ")
            let details = switch stored {
            case .success(let details): details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            case .failure: "UNREADABLE: not a JSON object of texts (see the error below)"
            }
            let when = switch at {
            case .success(let date): formatter.string(from: date)
            case .failure: "UNREADABLE (see the error below)"
            }
            return [String(r.id), when, r.actor, e.userName ?? "-", r.action,
                    object.isEmpty ? "-" : object, r.runID.map(String.init) ?? "-",
                    r.scriptHash.map { String($0.prefix(12)) } ?? "-", String(decoding: LuaOutput.sanitize(Array(details.utf8)), as: UTF8.self)]
        }
        writeOut(TextTable(headers: ["id", "at", "actor", "user", "action", "object", "run", "script", "details"],
                           rows: rows, rightAligned: [0, 6]).render() + "\n")
    }
}
