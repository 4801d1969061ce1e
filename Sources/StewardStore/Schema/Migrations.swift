import GRDB

/// The versioned schema. Each migration is registered once and never edited after release:
/// a later change is a new migration, so databases made by older builds upgrade in place.
enum Migrations {
    /// The migrator that brings a database to ``SchemaVersion/current``.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 district data") { db in
            try SchemaV1.createPlacesAndPeople(db)
            try SchemaV1.createProgrammesAndMoney(db)
            try SchemaV1.createRunsAndScheduling(db)
            try SchemaV1.createAppendOnlyGuards(db)
            try stamp(db, version: 1)
        }
        migrator.registerMigration("v2 check lists as comparisons") { db in
            try SchemaV2.rewriteCheckLists(db)
            try stamp(db, version: 2)
        }
        migrator.registerMigration("v3 holder groups in id order") { db in
            try SchemaV3.createHolderIndexes(db)
            try stamp(db, version: 3)
        }
        migrator.registerMigration("v4 commit generation") { db in
            try SchemaV4.createCommitGeneration(db)
            try stamp(db, version: 4)
        }
        migrator.registerMigration("v5 grade index in id order") { db in
            try SchemaV5.rekeyGradeIndex(db)
            try stamp(db, version: 5)
        }
        migrator.registerMigration("v6 ledger sums") { db in
            try SchemaV6.createLedgerSums(db)
            try stamp(db, version: 6)
        }
        migrator.registerMigration("v7 deflated run records") { db in
            try SchemaV7.addInflatedSize(db)
            try stamp(db, version: 7)
        }
        return migrator
    }

    /// Marks the file as Steward's and records the schema version in the SQLite header, inside
    /// the migration's transaction, so a crash never leaves a stamped but half-built file.
    private static func stamp(_ db: Database, version: Int) throws {
        try db.execute(sql: "PRAGMA application_id = \(SchemaVersion.applicationID)")
        try db.execute(sql: "PRAGMA user_version = \(version)")
    }
}
