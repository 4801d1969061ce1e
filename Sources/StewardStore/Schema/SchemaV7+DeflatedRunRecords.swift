import GRDB

/// Schema 7: a large run record keeps its effects deflated (``StoredEffects``).
///
/// `runs.effects_json` may now hold a BLOB, the JSON of the effects deflated in zlib's format,
/// and the new `effects_inflated_size` the JSON's length in bytes; it is NULL when
/// `effects_json` is the JSON text, as every record written before this schema is. Nothing
/// is rewritten: older records are read as they are.
///
/// The schema version matters more than the column: a build that knows only schema 6 would
/// read a deflated record as damage, so it must refuse the file instead (``StoreError/newerSchema(path:found:known:)``).
///
/// To read a record in the `sqlite3` shell, whose `sqlar_uncompress` inflates zlib's format
/// (and returns a value whose size is already the one given as it is):
///
/// ```sql
/// SELECT CASE WHEN effects_inflated_size IS NULL THEN effects_json
///             ELSE CAST(sqlar_uncompress(effects_json, effects_inflated_size) AS TEXT) END
/// FROM runs WHERE id = 7;
/// ```
enum SchemaV7 {
    static func addInflatedSize(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE runs ADD COLUMN effects_inflated_size INTEGER CHECK (effects_inflated_size > 0)")
    }
}
