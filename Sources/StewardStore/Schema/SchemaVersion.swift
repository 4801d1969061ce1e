/// Constants that mark a SQLite file as a Steward database and say which schema it has.
///
/// They live in the SQLite header (`PRAGMA application_id`, `PRAGMA user_version`) so that a
/// file can be recognised — or refused — before anything in it is read or written.
public enum SchemaVersion {
    /// `PRAGMA application_id` of every Steward database: the bytes "STWD".
    public static let applicationID: Int32 = 0x5354_5744

    /// The newest schema this build knows; `PRAGMA user_version` of a database it migrated.
    public static let current: Int = 9
}
