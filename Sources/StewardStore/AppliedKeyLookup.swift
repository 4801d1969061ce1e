import Foundation
import GRDB
import GRDBSQLite
import StewardCore

/// Answers "did an earlier run apply this effect key?" for one transaction, choosing per key
/// family between one indexed probe a key and reading the family's keys once.
///
/// A subsidy run proposes tens of thousands of keys. Probed one by one, each costs a bound,
/// stepped and reset statement (about 3 µs, even against an empty table), which was a tenth
/// of a 1M-member run. Read once (``SortedKeys``), a family of a few thousand keys answers
/// each question by a search in memory. But a district's ledger grows by every month's payments, and
/// reading a million keys to answer a hundred questions would cost far more than probing. So
/// the choice is made from the two sizes, and revised as the questions come:
///
/// - the first 255 questions about a family are probed: most runs propose a few effects,
///   and for them a count would cost more than every probe they make;
/// - at the 256th question, and again each time the questions double, count the family's
///   keys up to a bound (8 × the questions so far: the count and the read cost no more than
///   the probes they may save);
/// - if the family is smaller than that bound, read its keys once; every later answer comes
///   from memory. Otherwise keep probing.
///
/// Answers are exactly the probes' answers: keys are compared as SQLite compares them, byte
/// for byte (not as Swift compares strings, which equates canonically equivalent Unicode).
/// The lookup must live no longer than the transaction it reads in, and nothing may write
/// keys through the same connection meanwhile: a set read once would not see them.
final class AppliedKeyLookup {
    private let db: Database
    /// By ``EffectKeyNamespace/ordinal``: a dictionary keyed by the namespace ran `Hasher`
    /// for every key asked about (a quarter of the cost of asking, in a 26,707-grant run).
    /// Asked once per proposed key, in one transaction on one thread: no run-time
    /// exclusivity check.
    @exclusivity(unchecked) private var families = [Family?](repeating: nil, count: EffectKeyNamespace.allCases.count)

    /// What is known about one family of keys.
    private enum Family {
        /// Probing one key at a time; counted again when `questions` reaches `review`.
        case probing(questions: Int, review: Int)
        /// Every applied key of the family, read once.
        case loaded(SortedKeys)
    }

    /// Questions about a family before its size is first counted.
    private let firstReview: Int
    /// A family is read once when it has fewer keys than this many times the questions.
    static let keysPerQuestion = 8

    /// `firstReview` is a parameter for tests, which need small families to take both paths.
    init(_ db: Database, firstReview: Int = 256) {
        self.db = db
        self.firstReview = firstReview
    }

    /// How each family is answered now: for tests and diagnostics.
    var strategies: [EffectKeyNamespace: String] {
        var result: [EffectKeyNamespace: String] = [:]
        for namespace in EffectKeyNamespace.allCases {
            switch families[namespace.ordinal] {
            case .loaded(let keys)?: result[namespace] = "loaded \(keys.count)"
            case .probing(let questions, _)?: result[namespace] = "probing after \(questions)"
            case nil: break
            }
        }
        return result
    }

    /// Whether `key` was applied by an earlier run.
    func isApplied(_ key: EffectKey) throws -> Bool {
        let (questions, review): (Int, Int)
        let slot = key.namespace.ordinal
        switch families[slot] {
        case .loaded(let keys)?:
            return keys.contains(key.value)
        case .probing(let asked, let next)?:
            (questions, review) = (asked + 1, next)
        case nil:
            (questions, review) = (1, firstReview)
        }
        if questions >= review {
            if let keys = try loadIfSmall(key.namespace, bound: Self.keysPerQuestion * questions) {
                families[slot] = .loaded(keys)
                return keys.contains(key.value)
            }
            families[slot] = .probing(questions: questions, review: 2 * review)
        } else {
            families[slot] = .probing(questions: questions, review: review)
        }
        return try probe(key)
    }

    /// The keys among `keys` applied by earlier runs: the applier's re-check of a whole
    /// change set, where the number of questions per family is known at once.
    func applied(among keys: some Collection<EffectKey>) throws -> Set<EffectKey> {
        var questions: [EffectKeyNamespace: Int] = [:]
        for key in keys { questions[key.namespace, default: 0] += 1 }
        for (namespace, count) in questions where families[namespace.ordinal] == nil && count >= firstReview {
            if let loaded = try loadIfSmall(namespace, bound: Self.keysPerQuestion * count) {
                families[namespace.ordinal] = .loaded(loaded)
            } else {
                families[namespace.ordinal] = .probing(questions: 0, review: Int.max)
            }
        }
        var applied: Set<EffectKey> = []
        for key in keys where try isApplied(key) { applied.insert(key) }
        return applied
    }

    // MARK: - SQL per family

    /// The family's keys if there are fewer than `bound` of them (the count stops at the
    /// bound, so it never costs more than that many index entries); nil if there are more.
    ///
    /// They are read in the order of the family's unique index, which is SQLite's order for
    /// text (BINARY: bytes, then length), into one buffer: no allocation or hash per key.
    /// A value that is not text (written outside Steward) is left out: SQLite's `=` never
    /// equates it with a text key, so the probe would not find it either.
    private func loadIfSmall(_ namespace: EffectKeyNamespace, bound: Int) throws -> SortedKeys? {
        let (from, arguments) = Self.family(namespace)
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 \(from) LIMIT ?)",
                                     arguments: StatementArguments(arguments + [bound])) ?? 0
        guard count < bound else { return nil }
        let column = Self.column(namespace)
        let statement = try db.makeStatement(sql: "SELECT \(column) \(from) ORDER BY \(column)")
        try statement.setArguments(StatementArguments(arguments))
        var keys = SortedKeys(capacity: count)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW:
                guard sqlite3_column_type(handle, 0) == SQLITE_TEXT else { continue }
                let start = sqlite3_column_text(handle, 0)
                keys.append(UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, 0))))
            case SQLITE_DONE:
                keys.finish()
                return keys
            case let code:
                throw RawStatement.error(code, statement, db)
            }
        }
    }

    /// One key's probe: the family's rows with this key.
    private func probe(_ key: EffectKey) throws -> Bool {
        switch key.namespace {
        case .reminder:
            let statement = try db.cachedStatement(sql: "SELECT 1 FROM reminders WHERE dedup_key = ? LIMIT 1")
            return try RawStatement.hasRow(statement, [key.value], db)
        case .waitlist:
            let statement = try db.cachedStatement(
                sql: "SELECT 1 FROM waitlist WHERE natural_key = ? AND status = 'waiting' LIMIT 1")
            return try RawStatement.hasRow(statement, [key.value], db)
        case .ledger:
            let statement = try db.cachedStatement(sql: "SELECT 1 FROM ledger WHERE idempotency_key = ? LIMIT 1")
            return try RawStatement.hasRow(statement, [key.value], db)
        case .quotaBooking:
            let statement = try db.cachedStatement(sql: "SELECT 1 FROM quota_bookings WHERE idempotency_key = ? LIMIT 1")
            return try RawStatement.hasRow(statement, [key.value], db)
        case .enrolment:
            let statement = try db.cachedStatement(sql: "SELECT 1 FROM enrolments WHERE idempotency_key = ? LIMIT 1")
            return try RawStatement.hasRow(statement, [key.value], db)
        }
    }

    /// The rows that hold a family's applied keys, as the probes define them: reminders by
    /// their dedup key for ever; a waitlist key only while the person is still waiting; a
    /// ledger entry, quota booking or enrolment by its own `idempotency_key` column, which a
    /// unique index guards.
    ///
    /// Until session 6 those three families' keys were also written to the table
    /// `idempotency_keys`: a second B-tree insert per grant (8 % of a 26,707-grant commit) for
    /// a key its row already held, unique. Those older rows stay (the table is history, never
    /// rewritten) and are no longer read: each was written in the same transaction as its row.
    private static func family(_ namespace: EffectKeyNamespace) -> (from: String, arguments: [any DatabaseValueConvertible]) {
        switch namespace {
        case .reminder: ("FROM reminders", [])
        case .waitlist: ("FROM waitlist WHERE status = 'waiting'", [])
        case .ledger: ("FROM ledger WHERE idempotency_key IS NOT NULL", [])
        case .quotaBooking: ("FROM quota_bookings WHERE idempotency_key IS NOT NULL", [])
        case .enrolment: ("FROM enrolments WHERE idempotency_key IS NOT NULL", [])
        }
    }

    private static func column(_ namespace: EffectKeyNamespace) -> String {
        switch namespace {
        case .reminder: "dedup_key"
        case .waitlist: "natural_key"
        case .ledger, .quotaBooking, .enrolment: "idempotency_key"
        }
    }
}

/// A family's keys, read once: their UTF-8 bytes end to end in one buffer, in SQLite's order
/// for text, searched by halving. Compared as SQLite's `=` compares text (byte for byte), not
/// as Swift compares strings (which equates canonically equivalent Unicode).
///
/// Until session 16 this was a `Set` of one byte array per key: an allocation, a SipHash of
/// some 70 bytes and a free per key, 45 M instructions to read June's 26,707 ledger keys in
/// July's dry run (and again in its commit's re-check), where the read itself is 14 M. A
/// search here compares about 15 keys, each usually decided within its first bytes.
struct SortedKeys {
    private var bytes: [UInt8] = []
    /// Where each key ends in `bytes`; key i starts where key i − 1 ends.
    private var ends: [Int] = []

    init(capacity: Int) {
        ends.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * 64)
    }

    var count: Int { ends.count }

    /// Adds `key` after the others.
    mutating func append(_ key: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
    }

    /// Sorts the keys unless they came in order already, as the index gives them. (The order
    /// of a query is SQLite's choice; the search must not depend on it.)
    mutating func finish() {
        let inOrder = bytes.withUnsafeBufferPointer { all in
            (1..<max(ends.count, 1)).allSatisfy { Self.compare(key($0 - 1, all), key($0, all)) <= 0 }
        }
        guard !inOrder else { return }
        let sorted = bytes.withUnsafeBufferPointer { all in
            (0..<ends.count).map { Array(key($0, all)) }.sorted { a, b in
                a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in Self.compare(a, b) < 0 } }
            }
        }
        self = SortedKeys(capacity: sorted.count)
        for key in sorted { key.withUnsafeBufferPointer { append($0) } }
    }

    /// Whether `text`'s UTF-8 is one of the keys.
    func contains(_ text: String) -> Bool {
        guard !ends.isEmpty else { return false }  // the family's first run: nothing to search
        var text = text
        return text.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { all in
                var (low, high) = (0, ends.count)
                while low < high {
                    let middle = (low + high) / 2
                    let order = Self.compare(key(middle, all), wanted)
                    if order == 0 { return true }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                return false
            }
        }
    }

    private func key(_ index: Int, _ all: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(rebasing: all[start..<ends[index]])
    }

    /// SQLite's BINARY collation: the common length compared byte for byte, then the shorter first.
    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        let order = common == 0 ? 0 : Int(memcmp(a.baseAddress!, b.baseAddress!, common))
        return order != 0 ? order : a.count - b.count
    }
}
