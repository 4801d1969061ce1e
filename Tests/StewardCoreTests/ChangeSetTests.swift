import Foundation
import Testing
import StewardCore

@Suite("Change sets and invariants")
struct ChangeSetTests {
    let year = try! Period.year(2025)

    func grant(_ budget: String, _ yuan: Int, member: MemberID = 1, key: String? = nil) throws -> Effect {
        .ledger(LedgerEffect(budgetCode: budget, kind: .disbursement, amount: try Money.yuan(yuan), memberID: member,
                             programmeCode: "temporary-relief", period: year, idempotencyKey: key))
    }

    func snapshot(relief yuan: Int = 1_200) throws -> BalanceSnapshot {
        BalanceSnapshot(budgets: ["relief-2025": BudgetState(available: try Money.yuan(yuan))])
    }

    @Test func budgetNeverGoesBelowZero() throws {
        let changes = ChangeSet([try grant("relief-2025", 2_000)])
        let result = changes.validate(against: try snapshot())
        #expect(result.violations == [InvariantViolation(effectIndex: 0, reason: .budgetOverdrawn(
            budget: "relief-2025", available: try Money.yuan(1_200), needed: try Money.yuan(2_000), entryKind: .disbursement))])
        #expect(result.violations.first?.description == "budget 'relief-2025' has ¥1,200.00 left, this grant needs ¥2,000.00")
        #expect(!result.isAcceptable)
    }

    @Test func grantsCountAgainstEachOtherInOrder() throws {
        let changes = ChangeSet([
            try grant("relief-2025", 500, member: 1), try grant("relief-2025", 500, member: 2),
            try grant("relief-2025", 500, member: 3), try grant("relief-2025", 200, member: 4),
        ])
        let result = changes.validate(against: try snapshot())
        // The third grant fails (¥200 left); it is not applied, so the fourth still fits.
        #expect(result.violations.map(\.description) == ["budget 'relief-2025' has ¥200.00 left, this grant needs ¥500.00"])
        #expect(result.violations.map(\.effectIndex) == [2])
        #expect(result.projected.budgets["relief-2025"]?.available == .zero)
    }

    @Test func refundsAndAdjustmentsMoveTheBalance() throws {
        let changes = ChangeSet([
            .ledger(LedgerEffect(budgetCode: "relief-2025", kind: .refund, amount: try Money.yuan(300))),
            .ledger(LedgerEffect(budgetCode: "relief-2025", kind: .adjustment, amount: try Money.yuan(-1_000))),
            .ledger(LedgerEffect(budgetCode: "relief-2025", kind: .allocation, amount: try Money.yuan(500), placeCode: "320482100")),
        ])
        let result = changes.validate(against: try snapshot())
        #expect(result.isAcceptable)
        #expect(result.projected.budgets["relief-2025"]?.available == .zero)
        let totals = try changes.budgetTotals()
        #expect(totals["relief-2025"]?.refunded == (try Money.yuan(300)))
        #expect(totals["relief-2025"]?.adjusted == (try Money.yuan(-1_000)))
        #expect(totals["relief-2025"]?.allocated == (try Money.yuan(500)))
        #expect(totals["relief-2025"]?.net == (try Money.yuan(-1_200)))
    }

    @Test("a ledger effect's budget, kind and amount, and none for other effects")
    func ledgerAmount() throws {
        let refund = Effect.ledger(LedgerEffect(budgetCode: "relief-2025", kind: .refund, amount: try Money.yuan(300)))
        #expect(refund.ledgerAmount?.budgetCode == "relief-2025")
        #expect(refund.ledgerAmount?.kind == .refund)
        #expect(refund.ledgerAmount?.amount == (try Money.yuan(300)))
        let reminder = Effect.reminder(ReminderEffect(subjectKind: .member, subjectID: "1", kind: "certificate_expiry",
                                                      dueDate: try CivilDate(parsing: "2025-07-01"), text: "换证",
                                                      dedupKey: "certificate_expiry|member|1|2025-07-01"))
        #expect(reminder.ledgerAmount == nil)
    }

    @Test("totals per budget leave out skipped effects and count entries of other budgets apart")
    func totalsSkipAndSeparate() throws {
        let changes = ChangeSet([
            try grant("relief-2025", 100, member: 1), try grant("winter-2025", 40, member: 2),
            try grant("relief-2025", 7, member: 3),
            .reminder(ReminderEffect(subjectKind: .member, subjectID: "4", kind: "certificate_expiry",
                                     dueDate: try CivilDate(parsing: "2025-07-01"), text: "换证", dedupKey: "k4")),
            try grant("relief-2025", 1_000, member: 5),
        ])
        let totals = try changes.budgetTotals(skipping: [4])
        #expect(totals["relief-2025"]?.disbursed == (try Money.yuan(107)))
        #expect(totals["relief-2025"]?.net == (try Money.yuan(-107)))
        #expect(totals["relief-2025"]?.entries == 2)
        #expect(totals["winter-2025"]?.disbursed == (try Money.yuan(40)))
        #expect(totals["winter-2025"]?.entries == 1)
        #expect(totals.count == 2)
    }

    @Test func negativeAdjustmentCannotOverdraw() throws {
        let changes = ChangeSet([.ledger(LedgerEffect(budgetCode: "relief-2025", kind: .adjustment, amount: try Money.yuan(-1_500)))])
        #expect(changes.validate(against: try snapshot()).violations.map(\.description)
            == ["budget 'relief-2025' has ¥1,200.00 left, this adjustment needs ¥1,500.00"])
    }

    @Test func unknownBudgetAndTownScope() throws {
        var state = try snapshot()
        state.budgets["consolation-2025"] = BudgetState(available: try Money.yuan(10_000), allowTownDraw: true)
        let changes = ChangeSet([try grant("nope", 1), try grant("relief-2025", 1), try grant("consolation-2025", 1, member: 2)])
        let result = changes.validate(against: state, actorScope: .town("320482100"))
        #expect(result.violations.map(\.reason) == [
            .unknownBudget("nope"),
            .budgetClosedToTown(budget: "relief-2025", town: "320482100"),
        ])
        #expect(result.violations.map(\.description) == [
            "there is no budget 'nope'",
            "budget 'relief-2025' may be drawn on only by district staff, not by town '320482100'",
        ])
        #expect(changes.validate(against: state, actorScope: .district).violations.map(\.reason) == [.unknownBudget("nope")])
    }

    @Test func invalidAmountsAreRefused() throws {
        let changes = ChangeSet([
            .ledger(LedgerEffect(budgetCode: "relief-2025", kind: .disbursement, amount: .zero)),
            .ledger(LedgerEffect(budgetCode: "relief-2025", kind: .refund, amount: Money(fen: -5))),
        ])
        #expect(changes.validate(against: try snapshot()).violations.map(\.description) == [
            "A disbursement of ¥0.00 from budget 'relief-2025' must be a positive amount.",
            "A refund of -¥0.05 from budget 'relief-2025' must be a positive amount.",
        ])
    }

    @Test func idempotencyKeys() throws {
        let key = IdempotencyKey.payment(programme: "dream-scholarship", member: 17, period: year, kind: "tuition")
        #expect(key == "dream-scholarship|17|2025|tuition")
        var state = try snapshot(relief: 100_000)
        let changes = ChangeSet([try grant("relief-2025", 5_000, member: 17, key: key),
                                 try grant("relief-2025", 5_000, member: 17, key: key)])
        let first = changes.validate(against: state)
        #expect(first.violations == [InvariantViolation(effectIndex: 1, reason: .duplicateKey(EffectKey(.ledger, key), firstIndex: 0))])
        #expect(first.violations.first?.description
            == "ledger key 'dream-scholarship|17|2025|tuition' is used twice in this run (effects #1 and #2)")

        // Applied by an earlier run: skipped, not refused, and not counted against the budget.
        state.appliedKeys = [EffectKey(.ledger, key)]
        let rerun = ChangeSet([try grant("relief-2025", 5_000, member: 17, key: key)]).validate(against: state)
        #expect(rerun.isAcceptable)
        #expect(rerun.skippedIndices == [0])
        #expect(rerun.projected.budgets["relief-2025"]?.available == (try Money.yuan(100_000)))
        #expect(IdempotencyKey.compose(["a|b", "50%"]) == "a%7Cb|50%25")
    }

    @Test func hardAndSoftQuotas() throws {
        let district = QuotaKey(programmeCode: "free-health-check", period: year)
        let jincheng = QuotaKey(programmeCode: "free-health-check", period: year, placeCode: "320482100")
        let state = BalanceSnapshot(quotas: [
            district: QuotaState(limit: 20_000, hard: true, used: 19_990),
            jincheng: QuotaState(limit: 500, hard: false, used: 498),
        ])
        let changes = ChangeSet([
            .quotaBooking(QuotaBooking(programmeCode: "free-health-check", period: year, placeCode: "320482100", count: 3)),
            .quotaBooking(QuotaBooking(programmeCode: "free-health-check", period: try Period.month(2025, 9), placeCode: "320482101", count: 7)),
            .quotaBooking(QuotaBooking(programmeCode: "free-health-check", period: year, placeCode: "320482101", count: 1)),
            .quotaBooking(QuotaBooking(programmeCode: "other", period: year, count: 1_000_000)),
        ])
        let result = changes.validate(against: state)
        #expect(result.warnings.map(\.description) == [
            "soft quota 'free-health-check' 2025 in 320482100 of 500 exceeded: 498 already booked, this booking adds 3",
        ])
        #expect(result.violations == [InvariantViolation(effectIndex: 2, reason: .hardQuotaExceeded(quota: district, limit: 20_000, used: 20_000, requested: 1))])
        #expect(result.violations.first?.description
            == "hard quota 'free-health-check' 2025 (whole district) allows 20000, 20000 already booked, this booking needs 1")
        #expect(result.projected.quotas[district]?.used == 20_000)
        #expect(result.projected.quotas[jincheng]?.used == 501)
    }

    @Test func settingQuotas() throws {
        let town = QuotaKey(programmeCode: "free-health-check", period: year, placeCode: "320482100")
        let state = BalanceSnapshot(quotas: [town: QuotaState(limit: nil, hard: true, used: 40)])
        let changes = ChangeSet([
            .setQuota(QuotaSetting(programmeCode: "free-health-check", period: year, placeCode: "320482100", limit: 30, hard: true)),
            .setQuota(QuotaSetting(programmeCode: "free-health-check", period: year, placeCode: "320482100", limit: 30, hard: false)),
            .setQuota(QuotaSetting(programmeCode: "free-health-check", period: year, placeCode: "320482100", limit: 41, hard: true)),
            .quotaBooking(QuotaBooking(programmeCode: "free-health-check", period: year, placeCode: "320482100", count: 2)),
            .setQuota(QuotaSetting(programmeCode: "free-health-check", period: year, placeCode: "320482102", limit: 5, hard: true)),
            .quotaBooking(QuotaBooking(programmeCode: "free-health-check", period: year, placeCode: "320482102", count: 5)),
            .setQuota(QuotaSetting(programmeCode: "free-health-check", period: year, placeCode: "320482102", limit: -1, hard: true)),
        ])
        let result = changes.validate(against: state)
        #expect(result.violations.map(\.description) == [
            "hard quota 'free-health-check' 2025 in 320482100 cannot be set to 30: 40 already booked",
            "hard quota 'free-health-check' 2025 in 320482100 allows 41, 40 already booked, this booking needs 2",
            "The quota limit is -1; it must not be negative.",
        ])
        #expect(result.warnings.map(\.description) == ["soft quota 'free-health-check' 2025 in 320482100 set to 30, below the 40 already booked"])
        #expect(result.projected.quotas[QuotaKey(programmeCode: "free-health-check", period: year, placeCode: "320482102")]
            == QuotaState(limit: 5, hard: true, used: 5))
    }

    @Test func facilityCapacity() throws {
        let state = BalanceSnapshot(facilities: ["jt-scc-01": FacilityState(capacity: 40, occupancy: 39)])
        func place(_ member: MemberID) throws -> Effect {
            .enrolment(EnrolmentEffect(memberID: member, programmeCode: "sheltered-care", facilityCode: "jt-scc-01",
                                       startDate: try CivilDate(parsing: "2025-04-01")))
        }
        let changes = ChangeSet([try place(1), try place(2), try place(3).withFacility("jt-nope")])
        let result = changes.validate(against: state)
        #expect(result.violations.map(\.description) == [
            "facility 'jt-scc-01' has 40 of 40 places taken, this needs 1 more",
            "there is no facility 'jt-nope'",
        ])
        #expect(result.projected.facilities["jt-scc-01"] == FacilityState(capacity: 40, occupancy: 40))
    }

    @Test func recordUpdates() throws {
        let grade = FieldRef(entity: .member, id: "17", field: "disability_grade")
        let state = BalanceSnapshot(facilities: ["jt-dph-01": FacilityState(capacity: 30, occupancy: 25)],
                                    fieldValues: [grade: .integer(2)])
        let changes = ChangeSet([
            .recordUpdate(RecordUpdate(entity: .member, id: "17", field: "disability_grade", old: .integer(3), new: .integer(1))),
            .recordUpdate(RecordUpdate(entity: .member, id: "17", field: "disability_grade", old: .integer(2), new: .integer(1))),
            .recordUpdate(RecordUpdate(entity: .facility, id: "jt-dph-01", field: "capacity", old: .integer(30), new: .integer(20))),
            .recordUpdate(RecordUpdate(entity: .facility, id: "jt-dph-01", field: "occupancy", old: .integer(25), new: .integer(31))),
            .recordUpdate(RecordUpdate(entity: .facility, id: "jt-dph-01", field: "occupancy", old: .integer(25), new: .integer(30))),
            .recordUpdate(RecordUpdate(entity: .budget, id: "relief-2025", field: "total", old: nil, new: .money(.zero))),
            .recordUpdate(RecordUpdate(entity: .facility, id: "jt-dph-01", field: "capacity", old: nil, new: .text("many"))),
        ])
        let result = changes.validate(against: state)
        #expect(result.violations.map(\.description) == [
            #"member '17' field 'disability_grade' changed since it was read: expected 3, now 2"#,
            "facility 'jt-dph-01' cannot have capacity 20: 25 places are taken",
            "facility 'jt-dph-01' has 25 of 30 places taken, this needs 6 more",
            "The total of budget 'relief-2025' cannot be edited; add an adjustment entry instead.",
            #"facility 'jt-dph-01' field 'capacity' must be set to a whole number of places, not "many"."#,
        ])
        #expect(result.projected.fieldValues[grade] == .integer(1))
        #expect(result.projected.facilities["jt-dph-01"] == FacilityState(capacity: 30, occupancy: 30))
    }

    @Test func remindersAndWaitlistsAreDeduplicated() throws {
        let due = try CivilDate(parsing: "2025-04-30")
        let reminder = Effect.reminder(ReminderEffect(subjectKind: .member, subjectID: "17", kind: "certificate_expiry",
                                                      dueDate: due, text: "残疾人证将于2025-04-30到期", dedupKey: "cert-expiry|17|2025-04-30"))
        let waiting = Effect.waitlist(WaitlistEffect(memberID: 17, programmeCode: "dream-scholarship", reason: "fund exhausted"))
        let state = BalanceSnapshot(appliedKeys: [EffectKey(.waitlist, "17|dream-scholarship|")])
        let result = ChangeSet([reminder, waiting, reminder]).validate(against: state)
        #expect(result.skippedIndices == [1])
        #expect(result.violations.map(\.description)
            == ["reminder key 'cert-expiry|17|2025-04-30' is used twice in this run (effects #1 and #3)"])
    }

    @Test func checkerAnswersAvailableAsTheScriptGoes() throws {
        var checker = InvariantChecker(snapshot: try snapshot(relief: 7_000))
        #expect(checker.check(try grant("relief-2025", 5_000)).status == .accepted)
        #expect(checker.available("relief-2025") == (try Money.yuan(2_000)))
        let refused = checker.check(try grant("relief-2025", 5_000, member: 2))
        #expect(refused.status == .refused)
        #expect(refused.index == 1)
        #expect(checker.available("relief-2025") == (try Money.yuan(2_000)))
        #expect(checker.checkedCount == 2)
    }

    @Test func requirementsNameWhatTheStoreMustRead() throws {
        let changes = ChangeSet([
            try grant("relief-2025", 5, key: "k1"),
            .quotaBooking(QuotaBooking(programmeCode: "free-health-check", period: year, placeCode: "320482100")),
            .setQuota(QuotaSetting(programmeCode: "free-health-check", period: year, placeCode: "320482100", limit: 9, hard: true)),
            .enrolment(EnrolmentEffect(memberID: 1, programmeCode: "sheltered-care", facilityCode: "jt-scc-01", startDate: try CivilDate(parsing: "2025-01-01"))),
            .recordUpdate(RecordUpdate(entity: .facility, id: "jt-dph-02", field: "occupancy", old: nil, new: .integer(3))),
        ])
        let needs = changes.requirements
        #expect(needs.budgetCodes == ["relief-2025"])
        #expect(needs.bookedProgrammeCodes == ["free-health-check"])
        #expect(needs.quotaKeys == [QuotaKey(programmeCode: "free-health-check", period: year, placeCode: "320482100")])
        #expect(needs.facilityCodes == ["jt-scc-01", "jt-dph-02"])
        #expect(needs.effectKeys == [EffectKey(.ledger, "k1")])
        #expect(needs.fields == [FieldRef(entity: .facility, id: "jt-dph-02", field: "occupancy")])
        #expect(changes.countsByKind == ["ledger": 1, "quota_booking": 1, "set_quota": 1, "enrolment": 1, "record_update": 1])
    }

    /// Tens of thousands of effects check in linear time: the checker copies nothing per effect.
    @Test func largeRunsStayFast() throws {
        let key = QuotaKey(programmeCode: "free-health-check", period: year)
        var changes = ChangeSet()
        for member in 0..<20_000 {
            changes.append(.quotaBooking(QuotaBooking(programmeCode: "free-health-check", period: year, placeCode: "t\(member % 9)",
                                                      memberID: MemberID(member), idempotencyKey: "hc|\(member)")))
            changes.append(.recordUpdate(RecordUpdate(entity: .member, id: String(member), field: "tags", old: nil, new: .text("checked"))))
        }
        let started = ContinuousClock.now
        let result = changes.validate(against: BalanceSnapshot(quotas: [key: QuotaState(limit: 20_000, hard: true, used: 0)]))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(result.isAcceptable)
        #expect(result.projected.quotas[key]?.used == 20_000)
        #expect(result.projected.fieldValues.count == 20_000)
    }

    @Test func effectsRoundTripThroughJSON() throws {
        let changes = ChangeSet([
            try grant("relief-2025", 5, key: "k1"),
            .recordUpdate(RecordUpdate(entity: .member, id: "1", field: "phone", old: .null, new: .text("13812341234"))),
            .setQuota(QuotaSetting(programmeCode: "p", period: year, limit: 1, hard: false)),
        ])
        let data = try JSONEncoder().encode(changes)
        #expect(try JSONDecoder().decode(ChangeSet.self, from: data) == changes)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let one = try encoder.encode(Effect.setQuota(QuotaSetting(programmeCode: "p", period: year, limit: 1, hard: false)))
        #expect(String(decoding: one, as: UTF8.self) == #"{"set_quota":{"hard":false,"limit":1,"period":"2025","programmeCode":"p"}}"#)
    }
}

extension Effect {
    /// The same enrolment at another facility (test helper).
    func withFacility(_ code: String) -> Effect {
        guard case .enrolment(var enrolment) = self else { return self }
        enrolment.facilityCode = code
        return .enrolment(enrolment)
    }
}
