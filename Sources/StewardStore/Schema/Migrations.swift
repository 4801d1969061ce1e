import GRDB

/// The versioned schema. Each migration is registered once and never edited after release:
/// a later change is a new migration, so databases made by older builds upgrade in place.
enum Migrations {
    /// The schema's steps, oldest first: step n brings a file to schema n, and its name is
    /// what GRDB records as applied (so it never changes). The version each step stamps is its
    /// place in this list, so a new step cannot stamp the wrong one.
    static let steps: [(name: String, migrate: @Sendable (Database) throws -> Void)] = [
        ("v1 district data", { db in
            try SchemaV1.createPlacesAndPeople(db)
            try SchemaV1.createProgrammesAndMoney(db)
            try SchemaV1.createRunsAndScheduling(db)
            try SchemaV1.createAppendOnlyGuards(db)
        }),
        ("v2 check lists as comparisons", SchemaV2.rewriteCheckLists),
        ("v3 holder groups in id order", SchemaV3.createHolderIndexes),
        ("v4 commit generation", SchemaV4.createCommitGeneration),
        ("v5 grade index in id order", SchemaV5.rekeyGradeIndex),
        ("v6 ledger sums", SchemaV6.createLedgerSums),
        ("v7 deflated run records", SchemaV7.addInflatedSize),
        ("v8 run effect counts", SchemaV8.addEffectCounts),
        ("v9 deferred foreign keys of bulk rows", SchemaV9.deferForeignKeys),
    ]

    /// The migrator that brings a database to ``SchemaVersion/current``.
    static var migrator: DatabaseMigrator {
        precondition(steps.count == SchemaVersion.current, "SchemaVersion.current must name the last step")
        var migrator = DatabaseMigrator()
        for (index, step) in steps.enumerated() {
            migrator.registerMigration(step.name) { db in
                try step.migrate(db)
                try stamp(db, version: index + 1)
            }
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
