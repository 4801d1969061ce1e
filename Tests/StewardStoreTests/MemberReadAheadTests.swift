import Foundation
import GRDB
import StewardCore
import Testing
@testable import StewardStore

/// A long member query reads its later rows on a second connection and thread
/// (``MemberReadAhead``). These tests pin what must not change: the same members in the same
/// order as reading on one connection, a commit in between never seen, an error at the row it
/// belongs to, and no connection left open when the cursor goes. Each holds for both kinds of
/// second connection (`forCommit`): one of the read-ahead's own, and the store's writer, lent
/// ahead of a commit (``ReadAheadSource``).
@Suite("Reading members ahead on a second connection")
struct MemberReadAheadTests {
    /// The fixture's 3 members and 60 more; every other one has a certificate, grades 1 to 4.
    static func district() throws -> Fixture {
        let fixture = try Fixture()
        var added: [Member] = []
        for index in 0..<60 {
            let birth = String(format: "19%02d-%02d-%02d", 30 + index % 60, 1 + index % 12, 1 + index % 28)
            var member = Fixture.member("成员\(index)", birth: birth, sequence: 100 + index,
                                        town: index % 3 == 0 ? Fixture.rulin : Fixture.jincheng)
            if index % 2 == 0 {
                member.disability = DisabilityCertificate(
                    number: member.identityNumber.value + "4\(1 + index % 4)", category: .physical, grade: 1 + index % 4,
                    issued: try CivilDate(parsing: "2020-01-01"), expiry: try CivilDate(parsing: "2030-01-01"))
            }
            added.append(member)
        }
        _ = try fixture.store.addMembers(added)
        return fixture
    }

    /// Every member of `query`, read through a cursor that hands over after `after` rows;
    /// and whether it did hand over.
    static func read(_ snapshot: StoreSnapshot, _ query: MemberQuery, after: Int, tags: Bool = true) throws -> ([Member], Bool) {
        let cursor = try snapshot.memberCursor(query, tags: tags, readAheadAfter: after)
        var members: [Member] = []
        while let member = try cursor.next() { members.append(member) }
        return (members, cursor.isReadingAhead)
    }

    static let queries: [(String, @Sendable (inout MemberQuery) -> Void)] = [
        ("everyone", { _ in }),
        ("certificate holders (their index, in id order)", { $0.hasDisabilityCertificate = true }),
        ("grades 2 to 3 (ids first, then rows)", { $0.disabilityGrades = 2...3 }),
        ("ordered by birth date, newest first", { $0.order = [MemberOrder(.birthDate, descending: true)] }),
        ("a town, by name", { $0.placeCodes = [Fixture.jincheng]; $0.order = [MemberOrder(.name)] }),
    ]

    /// A member and the thread that wrapped it.
    final class Wrapped {
        let member: Member
        let thread = pthread_self()
        init(_ member: Member) { self.member = member }
    }

    @Test("an object cursor makes each object on the read-ahead thread once it reads ahead")
    func wrapRunsOnTheReadAheadThread() throws {
        let fixture = try Self.district()
        try fixture.store.read { snapshot in
            let (alone, _) = try Self.read(snapshot, MemberQuery(), after: .max)
            let cursor = try snapshot.memberCursor(MemberQuery(), tags: true, readAheadAfter: 5) { Wrapped($0) }
            var members: [Member] = []
            var threads: [pthread_t] = []
            while let wrapped = try cursor.next() {
                members.append(wrapped.member)
                threads.append(wrapped.thread)
            }
            #expect(members == alone)
            #expect(cursor.isReadingAhead)
            // The first 5 are read on the query's own connection, on this thread; the rest on
            // the read-ahead's one thread.
            let here = pthread_self()
            #expect(threads.prefix(5).allSatisfy { $0 == here })
            #expect(Set(threads.dropFirst(5)).count == 1)
            #expect(!threads.dropFirst(5).contains(here))
            #expect(threads.count == alone.count)
        }
    }

    @Test("the same members in the same order as on one connection", arguments: 0..<queries.count, [false, true])
    func sameMembersSameOrder(_ which: Int, forCommit: Bool) throws {
        let fixture = try Self.district()
        var query = MemberQuery()
        Self.queries[which].1(&query)
        try fixture.store.read(forCommit: forCommit) { snapshot in
            let (alone, aloneAhead) = try Self.read(snapshot, query, after: .max)
            #expect(!aloneAhead)
            #expect(alone.count > 12, "\(Self.queries[which].0)")
            for after in [1, 5, alone.count - 1] {
                let (ahead, didReadAhead) = try Self.read(snapshot, query, after: after)
                #expect(didReadAhead)
                #expect(ahead == alone, "\(Self.queries[which].0), handed over after \(after)")
            }
            // At the exact end there is nothing left to read ahead of.
            let (exact, _) = try Self.read(snapshot, query, after: alone.count)
            #expect(exact == alone)
            let (withoutTags, _) = try Self.read(snapshot, query, after: 3, tags: false)
            #expect(withoutTags.map(\.id) == alone.map(\.id))
        }
    }

    @Test("a commit after the read began is not seen: the cursor reads on where it was", arguments: [false, true])
    func commitInBetween(forCommit: Bool) throws {
        let fixture = try Self.district()
        var query = MemberQuery()
        query.hasDisabilityCertificate = true
        let before = try fixture.store.read { try Self.read($0, query, after: .max).0 }
        #expect(before.count == 30)
        try fixture.store.read(forCommit: forCommit) { snapshot in
            let cursor = try snapshot.memberCursor(query, readAheadAfter: 5)
            var members: [Member] = []
            for _ in 0..<3 { members.append(try #require(try cursor.next())) }
            // Another connection commits a certificate holder, whom this query selects.
            var late = Fixture.member("迟到", birth: "1999-09-09", sequence: 990, town: Fixture.jincheng)
            late.disability = DisabilityCertificate(number: late.identityNumber.value + "41", category: .visual, grade: 1,
                                                    issued: try CivilDate(parsing: "2021-01-01"),
                                                    expiry: try CivilDate(parsing: "2031-01-01"))
            _ = try fixture.store.addMembers([late])
            while let member = try cursor.next() { members.append(member) }
            #expect(!cursor.isReadingAhead)
            #expect(members.map(\.id) == before.map(\.id))
        }
        #expect(try fixture.store.read { try Self.read($0, query, after: 5) }.0.count == 31)
    }

    @Test("a damaged row after the hand-over throws at its place, after every member before it", arguments: [false, true])
    func damagedRowAfterHandOver(forCommit: Bool) throws {
        let fixture = try Self.district()
        var query = MemberQuery()
        query.hasDisabilityCertificate = true
        let ids = try fixture.store.read { try Self.read($0, query, after: .max).0.map(\.id) }
        let damaged = ids[20]
        try fixture.store.database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE members SET sex = 'unknown' WHERE id = ?", arguments: [damaged])
        }
        func readUntilError(after: Int) throws -> ([MemberID], StoreError?, Bool) {
            try fixture.store.read(forCommit: forCommit) { snapshot in
                let cursor = try snapshot.memberCursor(query, readAheadAfter: after)
                var read: [MemberID] = []
                do {
                    while let member = try cursor.next() { read.append(member.id) }
                    return (read, nil, cursor.isReadingAhead)
                } catch let error as StoreError {
                    return (read, error, cursor.isReadingAhead)
                }
            }
        }
        let alone = try readUntilError(after: .max)
        let ahead = try readUntilError(after: 4)
        #expect(ahead.2 && !alone.2)
        #expect(ahead.0 == Array(ids[..<20]))
        #expect(ahead.0 == alone.0)
        #expect(ahead.1?.description == """
            members row \(damaged), column sex: the text 'unknown' is not a known sex. Steward does not store such a value, \
            so the database was changed by other means: correct or restore that row
            """)
        #expect(ahead.1?.description == alone.1?.description)
        // A read that failed on the writer gave it back writable all the same.
        #expect(try Self.writerSettings(fixture.store) == [0, 2, forCommit ? ReadAheadSource.writerMapBytes : 0])
    }

    @Test("a cursor left mid-way stops its thread and closes its connection", arguments: [false, true])
    func stopsWithTheCursor(forCommit: Bool) throws {
        let fixture = try Self.district()
        try fixture.store.read(forCommit: forCommit) { snapshot in
            let cursor = try snapshot.memberCursor(MemberQuery(), readAheadAfter: 2)
            for _ in 0..<5 { _ = try cursor.next() }
            #expect(cursor.isReadingAhead)
        }
        // A truncating checkpoint reports busy (1) while any connection still reads.
        let checkpoint = try fixture.store.database.writeWithoutTransaction { db in
            try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        #expect(checkpoint?[0] as Int? == 0)
        // The writer, if it was lent, was given back writable.
        try fixture.store.writeImmediate { db in try db.execute(sql: "DELETE FROM member_tags WHERE 0") }
    }

    /// The writer's `query_only`, `temp_store` and `mmap_size`, read on the writer itself.
    static func writerSettings(_ store: Store) throws -> [Int] {
        try store.database.writeWithoutTransaction { db in
            try ["query_only", "temp_store", "mmap_size"].map { try Int.fetchOne(db, sql: "PRAGMA \($0)") ?? .min }
        }
    }

    @Test("ahead of a commit the writer is lent and given back as the store opened it, mapping the file")
    func writerGivenBack() throws {
        let fixture = try Self.district()
        // Writable (0), statement journals in memory (2), no memory map (0).
        #expect(try Self.writerSettings(fixture.store) == [0, 2, 0])
        try fixture.store.read(forCommit: true) { snapshot in
            let (members, ahead) = try Self.read(snapshot, MemberQuery(), after: 2)
            #expect(ahead && members.count == 63)
        }
        #expect(try Self.writerSettings(fixture.store) == [0, 2, ReadAheadSource.writerMapBytes])
        let written = try fixture.store.writeImmediate { db in
            try db.execute(sql: "UPDATE members SET phone = '13800000000' WHERE id = (SELECT min(id) FROM members)")
            return db.changesCount
        }
        #expect(written == 1)
        // A dry run's read never borrows it.
        let other = try Store.open(at: fixture.store.path, mode: .readWrite)
        try other.read { snapshot in _ = try Self.read(snapshot, MemberQuery(), after: 2) }
        #expect(try Self.writerSettings(other) == [0, 2, 0])
    }

    @Test("members cross several hand-over batches whole and in order, and a cursor left early ends cleanly")
    func severalBatches() throws {
        let fixture = try Fixture()
        // Three full batches and a part of one after the hand-over (``MemberReadAhead/batchSize``),
        // with every optional part present on some members and absent on others.
        let count = 3 * MemberReadAhead<Member>.batchSize + 77
        var added: [Member] = []
        for index in 0..<count {
            let birth = String(format: "19%02d-%02d-%02d", 30 + index % 60, 1 + index % 12, 1 + index % 28)
            var member = Fixture.member("成员\(index)", birth: birth, sequence: 100 + index % 800,
                                        town: index % 3 == 0 ? Fixture.rulin : Fixture.jincheng,
                                        tags: index % 5 == 0 ? ["winter-warmth-2025"] : [])
            if index % 2 == 0 {
                member.disability = DisabilityCertificate(
                    number: member.identityNumber.value + "4\(1 + index % 4)", category: .hearing, grade: 1 + index % 4,
                    issued: try CivilDate(parsing: "2020-01-01"), expiry: try CivilDate(parsing: "2030-01-01"))
            }
            if index % 7 == 0 {
                member.elderly = ElderlyStatus(emptyNest: true, livingAlone: index % 2 == 0, dependent: false,
                                               homeVisitHoursPerQuarter: index % 9)
            }
            added.append(member)
        }
        _ = try fixture.store.addMembers(added)
        try fixture.store.read { snapshot in
            let query = MemberQuery()
            let (alone, _) = try Self.read(snapshot, query, after: .max)
            #expect(alone.count == count + 3)
            let (ahead, didReadAhead) = try Self.read(snapshot, query, after: 2)
            #expect(didReadAhead)
            #expect(ahead == alone)
            #expect(ahead.filter { $0.disability != nil }.count == (count + 1) / 2)
            #expect(ahead.filter { $0.tags.contains("winter-warmth-2025") }.count == (count + 4) / 5)
            // Left in the middle of the second batch: the batches not taken are released with
            // the cursor, and the next read sees the same members.
            let cursor = try snapshot.memberCursor(query, readAheadAfter: 2)
            for expected in alone.prefix(MemberReadAhead<Member>.batchSize + 40) {
                #expect(try cursor.next() == expected)
            }
        }
        #expect(try fixture.store.read { try Self.read($0, MemberQuery(), after: 2) }.0.count == count + 3)
    }
}

/// Schema 4's commit generation: raised once by every Steward write transaction, so that a
/// second connection can tell it sees the same commit (``CommitMark``).
@Suite("Schema 4: the commit generation")
struct CommitGenerationTests {
    static func generation(_ store: Store) throws -> Int64? {
        try store.database.read { try Int64.fetchOne($0, sql: "SELECT value FROM commit_generation") }
    }

    @Test("each committed write raises it by one; a refused write leaves it")
    func raisedPerTransaction() throws {
        let fixture = try Fixture()
        let start = try #require(try Self.generation(fixture.store))
        _ = try fixture.store.addMembers([Fixture.member("赵一", birth: "1980-01-01", sequence: 300, town: Fixture.jincheng),
                                          Fixture.member("赵二", birth: "1981-01-01", sequence: 301, town: Fixture.jincheng)])
        #expect(try Self.generation(fixture.store) == start + 1)
        #expect(throws: (any Error).self) {
            try fixture.store.addProgramme(Programme(code: "dream-scholarship", name: "重复", office: .tradeUnion, kind: .cashBenefit))
        }
        #expect(try Self.generation(fixture.store) == start + 1)
    }

    @Test("a missing generation row refuses the commit, and nothing is written")
    func missingRowRefuses() throws {
        let fixture = try Fixture()
        try fixture.store.database.writeWithoutTransaction { db in try db.execute(sql: "DELETE FROM commit_generation") }
        let before = try dump(fixture.store, "programmes")
        #expect(throws: StoreError.invalidStoredValue(table: "commit_generation", rowID: 1, column: "value",
                                                      problem: "the row is missing; nothing was written")) {
            try fixture.store.addProgramme(Programme(code: "new-one", name: "新项目", office: .tradeUnion, kind: .service))
        }
        #expect(try dump(fixture.store, "programmes") == before)
    }

    @Test("a schema-3 file upgrades with the generation at 0")
    func upgradeStartsAtZero() throws {
        let directory = TemporaryDirectory()
        let (path, _) = try OlderSchemaFile.make(directory, upTo: "v3 holder groups in id order")
        let store = try Store.open(at: path, mode: .readWrite)
        #expect(try store.schemaVersion() == SchemaVersion.current)
        #expect(try rows(store, "SELECT id, value FROM commit_generation") == [["1", "0"]])
    }
}
