import GRDB
import GRDBSQLite
import StewardCore

/// Answers "did an earlier run apply this effect key?" for one transaction, choosing per key
/// family between one indexed probe a key and reading the family's keys once.
///
/// A subsidy run proposes tens of thousands of keys. Probed one by one, each costs a bound,
/// stepped and reset statement (about 3 µs, even against an empty table), which was a tenth
/// of a 1M-member run. Read once into a set, a family of a few thousand keys answers each
/// question in a hash look-up. But a district's ledger grows by every month's payments, and
/// reading a million keys to answer a hundred questions would cost far more than probing. So
/// the choice is made from the two sizes, and revised as the questions come:
///
/// - the first 255 questions about a family are probed: most runs propose a few effects,
///   and for them a count would cost more than every probe they make;
/// - at the 256th question, and again each time the questions double, count the family's
///   keys up to a bound (8 × the questions so far: the count and the read cost no more than
///   the probes they may save);
/// - if the family is smaller than that bound, read its keys once; every later answer comes
///   from the set. Otherwise keep probing.
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
        case loaded(Set<KeyBytes>)
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
            // No key of the family applied yet (a month's first run): nothing to copy and hash.
            return !keys.isEmpty && keys.contains(KeyBytes(key.value))
        case .probing(let asked, let next)?:
            (questions, review) = (asked + 1, next)
        case nil:
            (questions, review) = (1, firstReview)
        }
        if questions >= review {
            if let keys = try loadIfSmall(key.namespace, bound: Self.keysPerQuestion * questions) {
                families[slot] = .loaded(keys)
                return keys.contains(KeyBytes(key.value))
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
    private func loadIfSmall(_ namespace: EffectKeyNamespace, bound: Int) throws -> Set<KeyBytes>? {
        let (from, arguments) = Self.family(namespace)
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 \(from) LIMIT ?)",
                                     arguments: StatementArguments(arguments + [bound])) ?? 0
        guard count < bound else { return nil }
        let statement = try db.makeStatement(sql: "SELECT \(Self.column(namespace)) \(from)")
        try statement.setArguments(StatementArguments(arguments))
        var keys = Set<KeyBytes>(minimumCapacity: count)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW:
                let length = Int(sqlite3_column_bytes(handle, 0))
                let bytes = sqlite3_column_blob(handle, 0).map {
                    Array(UnsafeRawBufferPointer(start: $0, count: length))
                } ?? []
                keys.insert(KeyBytes(bytes: bytes))
            case SQLITE_DONE:
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

/// A key's UTF-8 bytes, hashed and compared as bytes: SQLite's `=` on text (BINARY collation).
private struct KeyBytes: Hashable {
    let bytes: [UInt8]

    init(bytes: [UInt8]) { self.bytes = bytes }
    init(_ text: String) { bytes = Array(text.utf8) }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (a: KeyBytes, b: KeyBytes) -> Bool { a.bytes == b.bytes }
}
