import ArgumentParser
import Foundation
import StewardStore

/// `steward init`: creates a database with the district's places and makes the account
/// running it the first admin. Refuses to touch a file that is not a Steward database.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a Steward database (or upgrade an older one).",
        discussion: "Lays down Jintan's towns, sub-districts and communities and makes the current account an admin. "
            + "A file that is not a Steward database is never overwritten.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let path = database.path
        let existed = FileManager.default.fileExists(atPath: path)
        // Read before opening: the open itself upgrades an older schema.
        let stored: Int?
        do { stored = try Store.storedSchemaVersion(at: path) } catch let error as StoreError { throw fail(error.description) }
        let store = try database.open(.create)
        do {
            let places = try store.installDistrict(.jintan)
            let admin = try store.ensureAdmin(osAccount: currentOSAccount())
            let version = try store.schemaVersion()
            if let stored, stored < version {
                print("upgraded \(path) from schema \(stored) to \(version)")
            } else if existed && places == 0 && !admin.created {
                print("\(path) is already a Steward database (schema \(version)); nothing to do")
            } else {
                print("created \(path) (schema \(version)): \(places) places; admin: \(admin.name)")
            }
        } catch let error as StoreError {
            throw fail(error.description)
        }
    }
}
