import Foundation
import GRDB

/// Schema 2: every CHECK constraint that listed three or more allowed words with `IN (…)`
/// tests them with `=` instead.
///
/// SQLite 3.40 evaluates a CHECK's `x IN ('a', 'b', 'c')` of three or more values by building
/// a temporary B-tree of the values at every row written or updated: about 27,000
/// instructions an insert, a seventh of committing 26,707 grants, two such lists per member
/// imported. `x = 'a' OR x = 'b' OR x = 'c'` accepts
/// and refuses exactly the same values (NULL included) and costs a few comparisons.
///
/// SQLite cannot alter a constraint with ALTER TABLE. Its documentation gives a procedure for
/// changes that leave what is stored valid and its format unchanged, CHECK constraints among
/// them (https://www.sqlite.org/lang_altertable.html, "otheralter"): rewrite the table's
/// CREATE statement in `sqlite_schema` under `PRAGMA writable_schema`, then bump the schema
/// version so every connection reads it again. Every stored row passed the old constraint and
/// so passes the new, equivalent one. Rebuilding the tables instead (new table, copy, drop,
/// rename, indexes and triggers again) did the same at 12 ms per new database, a third of a
/// run's start-up, as SQLite reparses the whole schema at each step.
enum SchemaV2 {
    /// The constraints rewritten: table, column, the values schema 1 lists, in its order.
    static let lists: [(table: String, column: String, values: [String])] = [
        ("places", "kind", ["district", "town", "subdistrict", "community", "village"]),
        ("members", "disability_category", ["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"]),
        ("members", "model_worker", ["none", "district", "city", "provincial", "national"]),
        ("ledger", "kind", ["allocation", "disbursement", "refund", "adjustment"]),
        ("waitlist", "status", ["waiting", "placed", "withdrawn"]),
        ("reminders", "status", ["pending", "sent", "done"]),
        ("users", "role", ["viewer", "operator", "approver", "admin"]),
        ("schedules", "catch_up", ["skip", "latest", "all"]),
        ("schedule_slots", "status", ["claimed", "running", "succeeded", "failed", "skipped", "abandoned"]),
        ("runs", "trigger", ["manual", "schedule", "repl"]),
        ("runs", "status", ["running", "previewed", "committed", "pending_approval", "rejected", "refused",
                            "failed", "timed_out", "crashed", "abandoned"]),
    ]

    /// Rewrites every list in ``lists``, all tables' statements first and then written
    /// together (``TableDefinitions/replace(_:_:)``).
    static func rewriteCheckLists(_ db: Database) throws {
        var rewritten: [(table: String, sql: String)] = []
        for table in lists.map(\.table) where !rewritten.contains(where: { $0.table == table }) {
            var create = try TableDefinitions.current(table, db, for: "schema 2")
            for list in lists where list.table == table {
                create = try rewrite(create, table: table, column: list.column, values: list.values)
            }
            rewritten.append((table, create))
        }
        try TableDefinitions.replace(rewritten, db)
    }

    /// `(kind = 'allocation' OR kind = 'refund')`.
    static func comparisons(_ column: String, _ values: [String]) -> String {
        "(" + values.map { "\(column) = '\($0)'" }.joined(separator: " OR ") + ")"
    }

    /// The one `column IN (…)` in `sql`, whatever spaces and line breaks schema 1 wrote in it,
    /// with the words it lists; nil unless there is exactly one. A byte scan: a regular
    /// expression per list cost a tenth of a database-less run's start-up.
    static func inList(_ column: String, in sql: String) -> (range: Range<String.Index>, values: [String])? {
        let bytes = Array(sql.utf8), name = Array(column.utf8)
        func isWord(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }
        var found: [(start: Int, open: Int, close: Int)] = []
        var start = 0
        while start + name.count <= bytes.count {
            defer { start += 1 }
            guard bytes[start..<start + name.count].elementsEqual(name), start == 0 || !isWord(bytes[start - 1]) else { continue }
            var at = start + name.count
            guard at < bytes.count, isSpace(bytes[at]) else { continue }
            while at < bytes.count, isSpace(bytes[at]) { at += 1 }
            guard at + 2 <= bytes.count, bytes[at] == UInt8(ascii: "I"), bytes[at + 1] == UInt8(ascii: "N") else { continue }
            at += 2
            while at < bytes.count, isSpace(bytes[at]) { at += 1 }
            guard at < bytes.count, bytes[at] == UInt8(ascii: "("),
                  let close = bytes[(at + 1)...].firstIndex(where: { $0 == UInt8(ascii: ")") || $0 == UInt8(ascii: "(") }),
                  bytes[close] == UInt8(ascii: ")") else { continue }
            found.append((start, at, close))
        }
        guard found.count == 1, let match = found.first else { return nil }
        let values = String(decoding: bytes[(match.open + 1)..<match.close], as: UTF8.self).split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        let utf8 = sql.utf8
        return (utf8.index(utf8.startIndex, offsetBy: match.start)..<utf8.index(utf8.startIndex, offsetBy: match.close + 1), values)
    }

    /// `create` with its `column IN (values)` as comparisons; throws unless it holds exactly
    /// that list once (the table is not as schema 1 made it: nothing is changed).
    private static func rewrite(_ create: String, table: String, column: String, values: [String]) throws -> String {
        guard let list = inList(column, in: create), list.values == values else {
            throw DatabaseError(resultCode: .SQLITE_ERROR,
                                message: "schema 2: the table \(table) is not as schema 1 made it (looked for \(column) IN \(values))")
        }
        var rewritten = create
        rewritten.replaceSubrange(list.range, with: comparisons(column, values))
        return rewritten
    }
}
