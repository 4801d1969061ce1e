import GRDB

/// Schema 8: a run record keeps how many effects it lists, so `steward runs list` need not
/// read them.
///
/// Why: the listing showed each run's number of effects by decoding its whole record. For a
/// month's subsidy run (26,707 grants, 8.8 MB of JSON) that took 275 ms, so the default
/// listing of fifty runs, a few years of monthly payments, took over ten seconds.
///
/// The new `effects_count` is written with the effects, in the same statement. On upgrade it
/// is filled from records that are a JSON array as they stand (``countTextRecords(_:)``);
/// it stays NULL for a record deflated by schema 7, which SQL cannot read, and for one that
/// is not valid JSON, so that an upgrade never fails on a damaged row. NULL means "not
/// counted": the reader counts that record by decoding it, as before, and a damaged one is
/// reported then (``RunHistoryEntry``).
///
/// `runs show`, which decodes the record, checks the count against it.
enum SchemaV8 {
    static func addEffectCounts(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE runs ADD COLUMN effects_count INTEGER
                CHECK (effects_count IS NULL OR (typeof(effects_count) = 'integer' AND effects_count >= 0))
            """)
        try countTextRecords(db)
    }

    /// Counts the records that are text and a JSON array. `json_valid` comes first: the JSON
    /// functions raise on malformed text, and that must not stop the upgrade.
    static func countTextRecords(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE runs SET effects_count = json_array_length(effects_json)
            WHERE effects_inflated_size IS NULL AND typeof(effects_json) = 'text'
              AND CASE WHEN json_valid(effects_json) THEN json_type(effects_json) = 'array' ELSE 0 END
            """)
    }
}
