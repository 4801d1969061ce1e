import Testing
@testable import steward_bench

/// A ratio between two programs means something only if they did the same work: these are the
/// readings the benchmark compares before it compares times.
@Suite struct JobResultsTests {
    @Test func subsidyLinesOfAllThreeProgramsReadAlike() {
        let steward = "granted 26707, unfunded 0, paid ¥4,828,680.00\n\nDry run: nothing was written."
        let python = "granted 26707, unfunded 0, paid ¥4,828,680.00\n"
        let plainLua = "granted 26707, unfunded 0, paid 482868000\n0.036\n"
        let expected = "granted 26707, unfunded 0, paid ¥4,828,680.00"
        #expect(JobResults.subsidy(steward) == expected)
        #expect(JobResults.subsidy(python) == expected)
        #expect(JobResults.subsidy(plainLua) == expected)
    }

    @Test func aSubsidyLineOfAnotherShapeIsNoResult() {
        #expect(JobResults.subsidy("") == nil)
        #expect(JobResults.subsidy("granted 5, unfunded 1") == nil)
        #expect(JobResults.subsidy("granted 5, unfunded 1, paid ¥3.5") == nil)
        #expect(JobResults.subsidy("granted x, unfunded 1, paid 100") == nil)
    }

    @Test func fenFromYuanOrFen() {
        #expect(JobResults.fen("¥4,828,680.00") == 482_868_000)
        #expect(JobResults.fen("¥0.07") == 7)
        #expect(JobResults.fen("482868000") == 482_868_000)
        #expect(JobResults.fen("¥12") == nil)
        #expect(JobResults.fen("¥1.234") == nil)
    }

    @Test func writtenRowsAndReminders() {
        #expect(JobResults.written("26707|482868000\n") == "26707 ledger rows, ¥4,828,680.00")
        #expect(JobResults.written("26707") == nil)
        #expect(JobResults.reminders("reminders:\t13353\n") == "13353 reminders")
        #expect(JobResults.reminders("reminders: 13353\n") == "13353 reminders")
        #expect(JobResults.reminders("reminders: many") == nil)
    }

    @Test func townCountsIgnoreOrderAndOtherLines() {
        let steward = "东城街道|29208\n儒林镇|16450\ntowns shared 20,000 slots:\t20000\n"
        let sqlite = "儒林镇|16450\n东城街道|29208\n"
        #expect(JobResults.townCounts(steward) == JobResults.townCounts(sqlite))
        #expect(JobResults.townCounts("nothing here") == nil)
    }

    @Test func yuanGroupsThousands() {
        #expect(Bench.yuan(600_000_000) == "¥6,000,000.00")
        #expect(Bench.yuan(117_132_000) == "¥1,171,320.00")
        #expect(Bench.yuan(99_905) == "¥999.05")
        #expect(Bench.yuan(-120_000) == "-¥1,200.00")
        #expect(Bench.yuan(0) == "¥0.00")
    }
}

@Suite struct AgreementTests {
    @Test func agreesWhenEveryProgramGaveOneAndTheSameResult() {
        var a = Agreement()
        a.record("Steward", "13353 reminders")
        a.record("Python", "13353 reminders")
        a.record("Steward", "13353 reminders")
        #expect(a.agrees)
        #expect(a.summary == "13353 reminders")
    }

    @Test func oneDifferentResultIsADisagreementNamingEach() {
        var a = Agreement()
        a.record("Steward", "13353 reminders")
        a.record("Python", "13352 reminders")
        #expect(!a.agrees)
        #expect(a.summary == "Steward: 13353 reminders; Python: 13352 reminders")
    }

    @Test func aProgramThatChangedItsResultBetweenRepetitionsDisagrees() {
        var a = Agreement()
        a.record("Steward", "1 reminders")
        a.record("Python", "1 reminders")
        a.record("Steward", "2 reminders")
        #expect(!a.agrees)
        #expect(a.summary == "Steward: 1 reminders / 2 reminders; Python: 1 reminders")
    }

    @Test func anUnreadableOutputNeverAgrees() {
        var a = Agreement()
        a.record("Steward", nil)
        a.record("Python", nil)
        #expect(!a.agrees)
        #expect(a.summary == "Steward: (no result in its output); Python: (no result in its output)")
        #expect(!Agreement().agrees)
    }

    @Test func agreementRowsFailOnADifference() {
        var a = Agreement()
        a.record("Steward", "9 towns")
        a.record("sqlite3", "8 towns")
        let row = JobBenchmarks.agreementRow("2 counts", a, brief: "the same counts")
        #expect(row.value == "DIFFERENT")
        #expect(row.met == false)
        #expect(row.comparison == "Steward: 9 towns; sqlite3: 8 towns")
    }
}
