import Foundation
import StewardCore
import Testing
@testable import StewardStore

/// `EffectJSON` writes ledger entries and reminders by hand for speed; it must stay byte for
/// byte what `JSONEncoder` writes for Core's `Codable` effects, and read back as the same.
@Suite("Run records' effects JSON")
struct EffectJSONTests {
    static func encoderJSON(_ effects: [Effect]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(effects), as: UTF8.self)
    }

    /// Text that exercises every escape: quotes, backslashes, slashes, each control
    /// character, DEL, Chinese and an emoji.
    static let awkward = "引号\"反斜杠\\斜杠/" + String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}😀"

    static let effects: [Effect] = [
        .ledger(LedgerEffect(budgetCode: "disability-subsidies-2025", kind: .disbursement, amount: Money(fen: 35_000),
                             memberID: 17, placeCode: "rulin", programmeCode: "disability-living-subsidy",
                             benefitKind: "living", period: Period("2025-06"), memo: "六月",
                             idempotencyKey: "grant|disability-subsidies-2025|disability-living-subsidy|m17|2025-06|living")),
        .ledger(LedgerEffect(budgetCode: "relief-2025", kind: .allocation, amount: Money(fen: 1))),
        .ledger(LedgerEffect(budgetCode: "relief-2025", kind: .adjustment, amount: Money(fen: -Int64.max),
                             facilityCode: "rehab-1", period: Period("2025-Q2"), memo: awkward,
                             idempotencyKey: awkward, reversesEntryID: 9_007_199_254_740_993)),
        .reminder(ReminderEffect(subjectKind: .member, subjectID: "20808", kind: "certificate_expiry",
                                 dueDate: try! CivilDate(parsing: "2025-07-13"),
                                 text: "陈博的残疾人证将于2025-07-13到期，请提醒换证",
                                 dedupKey: "certificate_expiry|member|20808|2025-07-13")),
        .reminder(ReminderEffect(subjectKind: .waitlistEntry, subjectID: awkward, kind: awkward,
                                 dueDate: try! CivilDate(parsing: "2000-02-29"), text: awkward, dedupKey: awkward)),
        // Kinds written through JSONEncoder, between hand-written ones.
        .quotaBooking(QuotaBooking(programmeCode: "home-visits", period: Period("2025-Q3")!, placeCode: "rulin", count: 2)),
        .ledger(LedgerEffect(budgetCode: "b", kind: .refund, amount: Money(fen: 5), memberID: -1)),
    ]

    @Test("ledger entries and reminders are written exactly as JSONEncoder writes them")
    func matchesJSONEncoder() throws {
        let ours = try EffectJSON.encode(Self.effects)
        #expect(ours == (try Self.encoderJSON(Self.effects)))
        for effect in Self.effects {
            #expect(try EffectJSON.encode([effect]) == (try Self.encoderJSON([effect])))
        }
        #expect(try EffectJSON.encode([]) == "[]")
    }

    @Test("what is written reads back as the same effects")
    func roundTrips() throws {
        let text = try EffectJSON.encode(Self.effects)
        #expect(try JSONDecoder().decode([Effect].self, from: Data(text.utf8)) == Self.effects)
    }
}
