import GRDB

/// Schema 3: each group of holders (certificate, union card, student record, elderly status)
/// listed in id order by a partial index of its own.
///
/// Scripts loop over a group in id order: `members{ disability = true }:each()` grants in
/// that order until a budget runs out. Schema 1's partial indexes of these groups are keyed
/// by grade, town or application date, so a whole-district loop had to read the ids from one,
/// sort them and read each member by its key, with the id list passed to SQLite as JSON: about
/// 2,000 instructions a member on top of reading it (4 % of a 26,707-member dry run). With an
/// index keyed by the id alone, SQLite walks the group in order and reads each row as it goes.
///
/// Each index holds only its group (26,707 of a million members have a certificate), so it
/// costs an insert only when a holder is written. Building them in an existing database reads
/// the members table once (about a second at a million members), inside the migration's
/// transaction.
enum SchemaV3 {
    /// The indexes, by name, and the condition that defines each group: the same conditions
    /// the member queries write (``MemberSQL``), so SQLite can tell that an index serves them.
    static let holderIndexes: [(name: String, condition: String)] = [
        ("members_certified", "disability_grade IS NOT NULL"),
        ("members_union_card_holders", "union_card IS NOT NULL"),
        ("members_students", "student_university IS NOT NULL"),
        ("members_elderly_people", "elderly = 1"),
    ]

    static func createHolderIndexes(_ db: Database) throws {
        for index in holderIndexes {
            try db.execute(sql: "CREATE INDEX \(index.name) ON members(id) WHERE \(index.condition)")
        }
    }
}
