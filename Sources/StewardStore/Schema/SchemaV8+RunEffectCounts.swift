import GRDB

/// Schema 8: a run record keeps how many effects it lists, so `steward runs list` need not
/// read them.
///
/// Why: the listing showed each run's number of effects by decoding its whole record. For a
/// month's subsidy run (26,707 grants, 8.8 MB of JSON) that took 275 ms, so the default
/// listing of fifty runs, a few years of monthly payments, took over ten seconds.
///
/// The new `effects_count` is written with the effects, in the same statement. On upgrade it
/// is filled for every record that holds a JSON array, text or deflated by schema 7. It stays
/// NULL for one that does not, so that an upgrade never fails on a damaged row: NULL means
/// "not counted", and the reader counts that record by decoding it, as before, and reports
/// the damage then (``RunHistoryEntry``).
///
/// `runs show`, which decodes the record, checks the count against it.
enum SchemaV8 {
    static func addEffectCounts(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE runs ADD COLUMN effects_count INTEGER
                CHECK (effects_count IS NULL OR (typeof(effects_count) = 'integer' AND effects_count >= 0))
            """)
        try countTextRecords(db)
        try countDeflatedRecords(db)
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

    /// Counts the records schema 7 deflated: each is inflated here and counted by SQLite's
    /// JSON functions, as the text ones are. One that does not inflate, or is not an array,
    /// stays uncounted.
    static func countDeflatedRecords(_ db: Database) throws {
        let deflated = try Row.fetchAll(db, sql: """
            SELECT id, effects_json, effects_inflated_size FROM runs
            WHERE effects_count IS NULL AND typeof(effects_json) = 'blob' AND typeof(effects_inflated_size) = 'integer'
            """)
        for row in deflated {
            let size: Int64 = row["effects_inflated_size"]
            // A record that does not inflate is damaged: it stays uncounted, and reading it
            // reports the damage, naming the row (``StoredEffects/json(_:)``).
            guard let json = try? Deflate.inflate(row["effects_json"], size: Int(clamping: size)) else { continue }
            try db.execute(sql: """
                UPDATE runs SET effects_count = CASE WHEN json_valid(?1) THEN
                    CASE WHEN json_type(?1) = 'array' THEN json_array_length(?1) END END
                WHERE id = ?2
                """, arguments: [String(decoding: json, as: UTF8.self), row["id"] as Int64])
        }
    }
}
