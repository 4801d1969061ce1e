import GRDB

/// Database-wide settings: a small key–value table (`settings`).
///
/// Known keys: `clock.today` — the date runs treat as today when none is given (demo
/// databases set it to the demo's date, so scripts and tests agree on what is due).
extension StoreSnapshot {
    public func setting(_ key: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM settings WHERE key = ?"), arguments: [key])
    }
}

extension Store {
    public func setting(_ key: String) throws -> String? {
        try read { try $0.setting(key) }
    }

    public func setSetting(_ key: String, _ value: String) throws {
        try writeImmediate { db in
            try db.cachedStatement(sql: """
                INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """)
                .execute(arguments: [key, value])
        }
    }
}
