import Foundation
import GRDB

/// Looks at a file before the store opens it, reading only: a file that is not ours must
/// come out of a failed `open` byte-for-byte as it went in.
enum StoreInspector {
    enum Finding: Equatable {
        case missing
        /// Zero bytes, or an SQLite file with no tables and no application id: safe to initialise.
        case empty
        case steward(version: Int)
    }

    static func inspect(path: String) throws -> Finding {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        if isDirectory.boolValue { throw StoreError.notADatabase(path: path) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StoreError.notADatabase(path: path) }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        try? handle.close()
        if header.isEmpty { return .empty }
        // Every SQLite 3 file starts with this 16-byte magic string.
        guard header.count >= 16, header.prefix(16) == Data("SQLite format 3\0".utf8) else {
            throw StoreError.notADatabase(path: path)
        }

        // The header's own copy of the pragmas may be stale while a WAL holds newer pages,
        // so ask SQLite, through a connection that cannot write.
        var config = Configuration()
        config.readonly = true
        // Another process closing its last connection checkpoints the WAL under an exclusive
        // lock for a moment; without a busy timeout this read fails and a healthy database
        // would be called "not an SQLite file" (seen with two runners on one database).
        config.busyMode = .timeout(5)
        let (applicationID, version, tables): (Int32, Int, Int)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            (applicationID, version, tables) = try queue.read { db in
                (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0
                )
            }
            try queue.close()
        } catch let error as DatabaseError {
            // The header says SQLite, so a file SQLite cannot open here is a permissions, lock
            // or disk problem — a WAL database in a read-only directory cannot get its -shm
            // file — not a foreign file: calling it "not an SQLite file" sent people looking
            // for corruption that was not there.
            if let problem = Store.storeError(error, path: path, busyTimeout: 5) { throw problem }
            throw StoreError.notADatabase(path: path)
        } catch {
            throw StoreError.notADatabase(path: path)
        }
        if applicationID == 0 && tables == 0 && version == 0 { return .empty }
        guard applicationID == SchemaVersion.applicationID else { throw StoreError.foreignDatabase(path: path) }
        if version > SchemaVersion.current {
            throw StoreError.newerSchema(path: path, found: version, known: SchemaVersion.current)
        }
        return .steward(version: version)
    }
}
