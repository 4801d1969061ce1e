import Foundation
import GRDB
import StewardCore

/// A run record's effects as its `runs` row holds them (schema 7): `effects_json` is the
/// JSON text of the effects (``EffectJSON``), or, from ``deflateThreshold`` bytes of it, that
/// JSON deflated (``Deflate``) as a BLOB, with its length in `effects_inflated_size`.
///
/// Why: the run record of a commit lists every effect it applied, and for a month's subsidy
/// that is 8.8 MB of JSON (26,707 grants), more than the ledger rows themselves. Every byte
/// is written twice (to the log, then into the file) and synced; in the benchmark's June
/// commit that was 72 ms of 428 (hyperfine, n = 12). Deflated it is 356 KB, and a year of
/// monthly runs no longer adds a hundred megabytes of records to the district's file.
///
/// Small records stay text, readable with SQLite's JSON functions as before. Records
/// written by schema 6 and earlier are text, whatever their size, and are read as they are.
struct StoredEffects {
    /// `effects_json`'s value: TEXT, or a BLOB of the deflated JSON.
    let value: DatabaseValue
    /// `effects_inflated_size`: the JSON's length in bytes when ``value`` is deflated, else nil.
    let inflatedSize: Int?

    /// JSON of this many bytes or more is deflated. Below it a record fills at most sixteen
    /// pages, and deflating saves little (a scheduled run's few effects are a few hundred
    /// bytes).
    static let deflateThreshold = 64 * 1024

    /// No effects: `[]`, as the column's default.
    static let none = StoredEffects(value: "[]".databaseValue, inflatedSize: nil)

    private init(value: DatabaseValue, inflatedSize: Int?) {
        self.value = value
        self.inflatedSize = inflatedSize
    }

    /// The stored form of `json`, the UTF-8 of a list of effects as ``EffectJSON`` writes it.
    init(json: [UInt8]) throws(Deflate.Failure) {
        if json.count < Self.deflateThreshold {
            self.init(value: String(decoding: json, as: UTF8.self).databaseValue, inflatedSize: nil)
        } else {
            self.init(value: try Deflate.compress(json).databaseValue, inflatedSize: json.count)
        }
    }

    /// The JSON text of the effects in `values`' row (`effects_json` and `effects_inflated_size`).
    /// A BLOB without its size, or one that does not inflate to it, throws
    /// ``StoreError/invalidStoredValue(table:rowID:column:problem:)`` naming the row: shown as
    /// no effects, a damaged record of a commit would look as if it had changed nothing.
    static func json(_ values: StoredValues) throws(StoreError) -> String {
        let column = "effects_json"
        guard case .blob(let deflated) = (values.row[column] as DatabaseValue).storage else {
            return try values.text(column)
        }
        let size: DatabaseValue = values.row["effects_inflated_size"]
        guard case .int64(let inflatedSize) = size.storage else {
            throw values.invalid(column, "a blob of \(deflated.count) bytes, with no inflated size to read it by")
        }
        do {
            let json = try Deflate.inflate(deflated, size: Int(clamping: inflatedSize))
            return String(decoding: json, as: UTF8.self)
        } catch {
            throw values.invalid(column, "the deflated effects do not read back: \(error)")
        }
    }

    /// The effects in a record's JSON text. JSON that does not decode, or, when `count` was
    /// recorded (``SchemaV8``), that lists another number of effects, throws
    /// ``StoreError/invalidStoredValue(table:rowID:column:problem:)`` naming run `runID`.
    static func decode(_ json: String, count: Int?, runID: Int64) throws(StoreError) -> [Effect] {
        let effects = try StoredJSON.decode([Effect].self, json, "a JSON list of effects", table: "runs", rowID: runID,
                                            column: "effects_json")
        if let count, effects.count != count {
            let listed = effects.count == 1 ? "1 effect" : "\(effects.count) effects"
            throw .invalidStoredValue(table: "runs", rowID: runID, column: "effects_count",
                                      problem: "it says \(count), but effects_json lists \(listed)")
        }
        return effects
    }
}
