import Foundation
import GRDB
import Testing
@testable import StewardStore

@Suite("Opening and creating databases")
struct StoreOpeningTests {
    @Test("create makes a stamped database with WAL and foreign keys")
    func createStamps() throws {
        let directory = TemporaryDirectory()
        let store = try Store.open(at: directory.path("new.db"), mode: .create)
        #expect(try store.schemaVersion() == SchemaVersion.current)
        let pragmas = try store.database.read { db in
            (
                try Int32.fetchOne(db, sql: "PRAGMA application_id"),
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(pragmas.0 == 0x5354_5744)
        #expect(pragmas.1 == "wal")
        #expect(pragmas.2 == 1)
    }

    @Test("reopening an existing database keeps its data and migrates nothing twice")
    func reopen() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("again.db")
        let first = try Store.open(at: path, mode: .create)
        #expect(try first.installDistrict(.jintan) == 48)
        let second = try Store.open(at: path, mode: .readWrite)
        #expect(try second.installDistrict(.jintan) == 0)
        #expect(try rows(second, "SELECT COUNT(*) FROM places") == [["48"]])
        #expect(try rows(second, "SELECT code, name, kind, path FROM places WHERE code = '320482100'")
            == [["320482100", "金城镇", "town", "/1/18/"]])
    }

    @Test("a text file is refused and left byte-for-byte untouched")
    func refusesTextFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("notes.db")
        let content = Data("姓名,身份证号\n王芳,1\n".utf8)
        try content.write(to: URL(fileURLWithPath: path))
        for mode in [Store.Mode.create, .readWrite, .readOnly] {
            #expect(throws: StoreError.notADatabase(path: path)) { try Store.open(at: path, mode: mode) }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["notes.db"])
    }

    @Test("another program's SQLite database is refused and left untouched")
    func refusesForeignDatabase() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("other.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hi')") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: StoreError.foreignDatabase(path: path)) { try Store.open(at: path, mode: .create) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let error = StoreError.foreignDatabase(path: path)
        #expect(error.description == "\(path) is not a Steward database (an SQLite file made by another program); it was left untouched")
    }

    @Test("a database from a newer Steward is refused with both versions named")
    func refusesNewerSchema() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("future.db")
        let store = try Store.open(at: path, mode: .create)
        let newer = SchemaVersion.current + 1
        try store.database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = \(newer)") }
        try store.database.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try Store.open(at: path, mode: .readWrite)
            Issue.record("opened a newer database")
        } catch let error as StoreError {
            #expect(error == .newerSchema(path: path, found: newer, known: SchemaVersion.current))
            #expect(error.description
                    == "\(path) was created by a newer Steward (schema \(newer), this build knows \(SchemaVersion.current)); it was left untouched")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a missing file is created only by create")
    func missing() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("none.db")
        #expect(throws: StoreError.missingDatabase(path: path)) { try Store.open(at: path, mode: .readWrite) }
        #expect(throws: StoreError.missingDatabase(path: path)) { try Store.open(at: path, mode: .readOnly) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a read-only store cannot write, even with raw SQL")
    func readOnlyRefusesWrites() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("ro.db")
        _ = try makeStore(directory, name: "ro.db")
        let readOnly = try Store.open(at: path, mode: .readOnly)
        #expect(readOnly.isReadOnly)
        #expect(throws: (any Error).self) {
            try readOnly.database.writeWithoutTransaction { db in
                try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('x', 'y')")
            }
        }
        #expect(throws: StoreError.readOnly(path: path)) { try readOnly.installDistrict(.jintan) }
        #expect(try rows(readOnly, "SELECT COUNT(*) FROM settings") == [["0"]])
    }

    @Test("the database path comes from --db, else STEWARD_DB, else ./steward.db")
    func location() {
        #expect(StoreLocation.resolve(explicit: "a.db", environment: ["STEWARD_DB": "b.db"]) == "a.db")
        #expect(StoreLocation.resolve(explicit: nil, environment: ["STEWARD_DB": "b.db"]) == "b.db")
        #expect(StoreLocation.resolve(explicit: nil, environment: [:]) == "steward.db")
        #expect(StoreLocation.resolve(explicit: "", environment: ["STEWARD_DB": ""]) == "steward.db")
    }
}
