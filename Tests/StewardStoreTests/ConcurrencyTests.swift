import Foundation
import StewardCore
import Testing
@testable import StewardStore

@Suite("Two writers on one database")
struct ConcurrencyTests {
    @Test("two processes' worth of connections racing on one budget never overspend it")
    func noOverspend() async throws {
        let fixture = try Fixture()
        let path = fixture.store.path
        // Two independent stores (separate SQLite connections and pools), as two processes would have.
        let first = try Store.open(at: path, mode: .readWrite, busyTimeout: 10)
        let second = try Store.open(at: path, mode: .readWrite, busyTimeout: 10)
        let run = fixture.run()
        let member = fixture.members[0]
        // ¥20,000 in the fund; each writer tries 15 grants of ¥1,000: 30 asked, only 20 fit.
        let outcomes = await withTaskGroup(of: (Int, Int).self) { group in
            for (writer, store) in [first, second].enumerated() {
                group.addTask {
                    var applied = 0
                    var refused = 0
                    for attempt in 0..<15 {
                        do {
                            try store.apply(ChangeSet([Fixture.grant("dream-2025", 100_000, member: member,
                                                                     key: "w\(writer)-\(attempt)")]),
                                            run: run, actor: .district, at: Fixture.now)
                            applied += 1
                        } catch is ChangeSetRefused {
                            refused += 1
                        } catch {
                            Issue.record("unexpected error \(error)")
                        }
                    }
                    return (applied, refused)
                }
            }
            var total: [(Int, Int)] = []
            for await outcome in group { total.append(outcome) }
            return total
        }
        #expect(outcomes.map(\.0).reduce(0, +) == 20)
        #expect(outcomes.map(\.1).reduce(0, +) == 10)
        let balance = try first.read { try $0.budgetBalance(code: "dream-2025") }
        #expect(balance?.available == .zero)
        #expect(balance?.disbursed == Money(fen: 2_000_000))
        #expect(try rows(first, "SELECT COUNT(*), SUM(amount_fen) FROM ledger") == [["20", "2000000"]])
    }

    @Test("a writer that cannot get the lock in time gets a clear busy error")
    func busyTimeout() throws {
        let fixture = try Fixture()
        let impatient = try Store.open(at: fixture.store.path, mode: .readWrite, busyTimeout: 0.2)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let store = fixture.store
        let thread = Thread {
            try? store.writeImmediate { _ in
                holding.signal()
                release.wait()
            }
        }
        thread.start()
        holding.wait()
        #expect(throws: StoreError.busy(path: fixture.store.path, seconds: 0.2)) {
            try impatient.apply(ChangeSet([Fixture.grant("dream-2025", 100)]), run: fixture.run(), actor: .district)
        }
        release.signal()
        #expect(StoreError.busy(path: "d.db", seconds: 0.2).description
            == "d.db stayed locked by another writer for 0.2 s; try again")
    }
}
