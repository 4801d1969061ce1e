import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// The applied-key lookup reads a small family of keys once and probes a large one key by
/// key; whichever it does, every answer must be the probe's answer.
@Suite("Applied effect keys: read once or probed, the same answers")
struct AppliedKeyLookupTests {
    /// The tables the lookup reads, with only the columns it reads. Keys live on their own
    /// rows; `idempotency_keys` holds rows from before that, which must not count.
    func database(ledgerKeys: Int = 3) throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE ledger (id INTEGER PRIMARY KEY, idempotency_key TEXT);
                CREATE UNIQUE INDEX ledger_idempotency ON ledger(idempotency_key) WHERE idempotency_key IS NOT NULL;
                CREATE TABLE quota_bookings (id INTEGER PRIMARY KEY, idempotency_key TEXT UNIQUE);
                CREATE TABLE enrolments (id INTEGER PRIMARY KEY, idempotency_key TEXT UNIQUE);
                CREATE TABLE idempotency_keys (namespace TEXT NOT NULL, key TEXT NOT NULL,
                                               PRIMARY KEY (namespace, key)) WITHOUT ROWID;
                CREATE TABLE reminders (id INTEGER PRIMARY KEY, dedup_key TEXT NOT NULL UNIQUE);
                CREATE TABLE waitlist (id INTEGER PRIMARY KEY, natural_key TEXT NOT NULL, status TEXT NOT NULL);
                """)
            for n in 1...ledgerKeys {
                try db.execute(sql: "INSERT INTO ledger (idempotency_key) VALUES (?)", arguments: ["grant|m\(n)|2025-06"])
            }
            // Entries with no key are not a family member.
            try db.execute(sql: "INSERT INTO ledger (idempotency_key) VALUES (NULL), (NULL)")
            // A row of the old key table alone (never so in a real database) is not read.
            try db.execute(sql: "INSERT INTO idempotency_keys VALUES ('ledger', 'grant|old|2025-06')")
            // "é" precomposed (U+00E9): Swift's == equates it with "e" + U+0301, SQLite does not.
            try db.execute(sql: "INSERT INTO enrolments (idempotency_key) VALUES ('caf\u{E9}')")
            try db.execute(sql: "INSERT INTO reminders (dedup_key) VALUES ('cert|m7|2025-07-01')")
            try db.execute(sql: "INSERT INTO waitlist (natural_key, status) VALUES ('w|m1|day-care', 'waiting'), ('w|m2|day-care', 'placed')")
        }
        return queue
    }

    @Test("a run with a few questions only probes: no count, no read")
    func fewQuestionsAreProbed() throws {
        try database().read { db throws in
            let lookup = AppliedKeyLookup(db)
            #expect(try lookup.isApplied(EffectKey(.ledger, "grant|m1|2025-06")))
            #expect(try !lookup.isApplied(EffectKey(.ledger, "grant|m4|2025-06")))
            #expect(try !lookup.isApplied(EffectKey(.ledger, "grant|old|2025-06")))
            #expect(try lookup.isApplied(EffectKey(.reminder, "cert|m7|2025-07-01")))
            #expect(lookup.strategies == [.ledger: "probing after 3", .reminder: "probing after 1"])
        }
    }

    @Test("a small family is read once, and answers as its probes do")
    func smallFamilyIsLoaded() throws {
        try database().read { db throws in
            let lookup = AppliedKeyLookup(db, firstReview: 1)
            #expect(try lookup.isApplied(EffectKey(.ledger, "grant|m1|2025-06")))
            #expect(lookup.strategies == [.ledger: "loaded 3"])
            #expect(try lookup.isApplied(EffectKey(.ledger, "grant|m3|2025-06")))
            #expect(try !lookup.isApplied(EffectKey(.ledger, "grant|m4|2025-06")))
            #expect(try !lookup.isApplied(EffectKey(.ledger, "grant|old|2025-06")))
            // Families are separate: the same text in another namespace was not applied.
            #expect(try !lookup.isApplied(EffectKey(.quotaBooking, "grant|m1|2025-06")))
            #expect(try lookup.isApplied(EffectKey(.enrolment, "caf\u{E9}")))
            #expect(try !lookup.isApplied(EffectKey(.enrolment, "cafe\u{301}")))
            #expect(try lookup.isApplied(EffectKey(.reminder, "cert|m7|2025-07-01")))
            #expect(try !lookup.isApplied(EffectKey(.reminder, "cert|m7|2025-08-01")))
            // A waitlist key counts only while the person is still waiting.
            #expect(try lookup.isApplied(EffectKey(.waitlist, "w|m1|day-care")))
            #expect(try !lookup.isApplied(EffectKey(.waitlist, "w|m2|day-care")))
            #expect(lookup.strategies == [.ledger: "loaded 3", .quotaBooking: "loaded 0", .enrolment: "loaded 1",
                                          .reminder: "loaded 1", .waitlist: "loaded 1"])
        }
    }

    @Test("a large family is probed until the questions reach an eighth of its keys")
    func largeFamilyIsProbedThenLoaded() throws {
        try database(ledgerKeys: 40).read { db throws in
            let lookup = AppliedKeyLookup(db, firstReview: 1)
            var answers: [Bool] = []
            var strategies: [String] = []
            for n in [Int](1...11) + [41] {
                answers.append(try lookup.isApplied(EffectKey(.ledger, "grant|m\(n)|2025-06")))
                strategies.append(lookup.strategies[.ledger] ?? "-")
            }
            #expect(answers == Array(repeating: true, count: 11) + [false])
            // 40 keys: counted at questions 1, 2, 4 and 8 against 8, 16, 32 and 64.
            #expect(strategies == (1...7).map { "probing after \($0)" } + Array(repeating: "loaded 40", count: 5))
        }
    }

    @Test("a whole change set's keys: the applied ones, whichever way each family is read")
    func appliedAmongKeys() throws {
        try database(ledgerKeys: 40).read { db throws in
            let keys = [EffectKey(.ledger, "grant|m2|2025-06"), EffectKey(.ledger, "grant|m41|2025-06"),
                        EffectKey(.reminder, "cert|m7|2025-07-01"), EffectKey(.waitlist, "w|m2|day-care")]
            let lookup = AppliedKeyLookup(db, firstReview: 2)
            #expect(try lookup.applied(among: keys) == [keys[0], keys[2]])
            // Two ledger questions against 40 keys: probed, not read; one reminder: probed.
            #expect(lookup.strategies == [.ledger: "probing after 2", .reminder: "probing after 1",
                                          .waitlist: "probing after 1"])

            let many = (1...12).map { EffectKey(.ledger, "grant|m\($0)|2025-06") } + [EffectKey(.ledger, "grant|m99|2025-06")]
            let fresh = AppliedKeyLookup(db, firstReview: 2)
            #expect(try fresh.applied(among: many) == Set(many.prefix(12)))
            #expect(fresh.strategies[.ledger] == "loaded 40")
        }
    }

    @Test("a key stored as a blob is applied neither when probed nor when read once")
    func blobKeyIsNotText() throws {
        let queue = try database()
        try queue.write { db in
            try db.execute(sql: "INSERT INTO ledger (idempotency_key) VALUES (CAST('grant|m9|2025-06' AS BLOB))")
        }
        try queue.read { db throws in
            let key = EffectKey(.ledger, "grant|m9|2025-06")
            #expect(try !AppliedKeyLookup(db).isApplied(key))
            let loaded = AppliedKeyLookup(db, firstReview: 1)
            #expect(try !loaded.isApplied(key))
            #expect(try loaded.isApplied(EffectKey(.ledger, "grant|m2|2025-06")))
            #expect(loaded.strategies == [.ledger: "loaded 3"])
        }
    }
}

/// The keys a family read once keeps: searched as SQLite's `=` compares text, whatever order
/// they were added in.
@Suite("A family's keys read once")
struct SortedKeysTests {
    static func keys(_ texts: [String]) -> SortedKeys {
        var keys = SortedKeys(capacity: texts.count)
        for text in texts {
            var text = text
            text.withUTF8 { keys.append($0) }
        }
        keys.finish()
        return keys
    }

    /// Prefixes of each other, the empty key, a NUL, bytes above 0x7F and both forms of "é".
    static let awkward = ["a", "ab", "a\u{0}", "", "abc", "b", "caf\u{E9}", "金坛区|m1", "金坛", "zz", "a\u{7F}"]

    @Test("every key is found and nothing else, in index order or not", arguments: [false, true])
    func findsExactly(shuffled: Bool) {
        let texts = shuffled ? Self.awkward.reversed() : Self.awkward.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let keys = Self.keys(texts)
        #expect(keys.count == Self.awkward.count)
        for text in Self.awkward { #expect(keys.contains(text), "\(Array(text.utf8))") }
        for absent in ["cafe\u{301}", "aa", "abcd", "\u{0}", "金", "金坛区", "zzz", "A"] {
            #expect(!keys.contains(absent), "\(Array(absent.utf8))")
        }
    }

    @Test("no keys: nothing is found")
    func empty() {
        let keys = Self.keys([])
        #expect(keys.count == 0 && !keys.contains("") && !keys.contains("a"))
    }
}
