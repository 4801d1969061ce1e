import Foundation
import GRDB
@testable import StewardStore

/// A fresh directory per test, removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("steward-store-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A new store with Jintan's places, in its own directory.
func makeStore(_ directory: TemporaryDirectory, name: String = "test.db") throws -> Store {
    let store = try Store.open(at: directory.path(name), mode: .create)
    try store.installDistrict(.jintan)
    return store
}

/// Every row of a table as text, for before/after comparisons.
func dump(_ store: Store, _ table: String) throws -> [String] {
    try store.database.read { db in
        try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1").map { $0.description }
    }
}

/// The rows of a query as plain arrays of text.
func rows(_ store: Store, _ sql: String, _ arguments: StatementArguments = []) throws -> [[String]] {
    try store.database.read { db in
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            row.databaseValues.map { value in value.isNull ? "NULL" : String(describing: value.storage.value!) }
        }
    }
}
