import Testing
@testable import StewardScheduler

@Suite("Cron expression syntax and matching")
struct CronExpressionParsingTests {
    @Test func starListsRangesAndSteps() throws {
        let expression = try cron("*/15 1,5,9 1-10/3 * *")
        #expect(expression.allowedValues(.minute) == [0, 15, 30, 45])
        #expect(expression.allowedValues(.hour) == [1, 5, 9])
        #expect(expression.allowedValues(.dayOfMonth) == [1, 4, 7, 10])
        #expect(expression.allowedValues(.month) == Array(1...12))
        #expect(expression.allowedValues(.dayOfWeek) == Array(0...6))
    }

    @Test func singleValueWithStepRunsToTheFieldMaximum() throws {
        #expect(try cron("50/4 * * * *").allowedValues(.minute) == [50, 54, 58])
        #expect(try cron("* 20/2 * * *").allowedValues(.hour) == [20, 22])
    }

    @Test func stepLargerThanTheRangeKeepsTheStart() throws {
        #expect(try cron("*/90 * * * *").allowedValues(.minute) == [0])
    }

    @Test func monthAndWeekdayNamesAnyCase() throws {
        let expression = try cron("0 9 * jan,Mar-MAY mon-FRI")
        #expect(expression.allowedValues(.month) == [1, 3, 4, 5])
        #expect(expression.allowedValues(.dayOfWeek) == [1, 2, 3, 4, 5])
    }

    @Test func zeroAndSevenAreBothSunday() throws {
        #expect(try cron("0 0 * * 7") == cron("0 0 * * 0"))
        #expect(try cron("0 0 * * 7").allowedValues(.dayOfWeek) == [0])
        #expect(try cron("0 0 * * 5-7").allowedValues(.dayOfWeek) == [0, 5, 6])
        #expect(try cron("0 0 * * 0-7").allowedValues(.dayOfWeek) == Array(0...6))
    }

    @Test func sundayEndingARangeMeansSeven() throws {
        #expect(try cron("0 0 * * MON-SUN").allowedValues(.dayOfWeek) == Array(0...6))
        #expect(try cron("0 0 * * SAT-SUN").allowedValues(.dayOfWeek) == [0, 6])
    }

    @Test(arguments: [
        ("@hourly", "0 * * * *"),
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("@weekly", "0 0 * * 0"),
        ("@monthly", "0 0 1 * *"),
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
        ("@DAILY", "0 0 * * *"),
    ])
    func namedExpressions(name: String, fields: String) throws {
        #expect(try cron(name) == cron(fields))
        #expect(try cron(name).description == name.lowercased())
    }

    @Test(arguments: [
        "*/5 * * * *", "0 9 * * MON", "  0   9 1,15 * mon-fri ", "@weekly", "@Yearly",
        "1-10/2 */3 1 JAN-jun 0,7", "59 23 31 12 *",
    ])
    func descriptionRoundTrips(text: String) throws {
        let expression = try cron(text)
        let reparsed = try cron(expression.description)
        #expect(reparsed == expression)
        #expect(reparsed.description == expression.description)
    }

    @Test func descriptionNormalisesWhitespaceOnly() throws {
        #expect(try cron("  0\t9 *  * mon ").description == "0 9 * * mon")
    }

    @Test func equalityIsByMeaningNotSpelling() throws {
        #expect(try cron("0 0 * * *") == cron("@daily"))
        #expect(try cron("0-59/15 0-23 * * *") != cron("*/15 * * * *"))  // fixed-time vs wildcard
        #expect(try cron("0-59/15 * * * *") == cron("*/15 * * * *"))
        #expect(try Set([cron("0 0 * * 7"), cron("0 0 * * SUN"), cron("0 0 * * 0")]).count == 1)
    }

    @Test func bothDayFieldsRestrictedMatchEither() throws {
        // 1st of the month or any Monday: 2026-06-01 is a Monday, 06-08 a Monday, 06-15 not.
        let expression = try cron("0 9 1,15 * MON")
        #expect(expression.matches(local("2026-06-01T09:00")))
        #expect(expression.matches(local("2026-06-08T09:00")))
        #expect(expression.matches(local("2026-06-15T09:00")))
        #expect(!expression.matches(local("2026-06-16T09:00")))
        #expect(!expression.matches(local("2026-06-08T09:01")))
    }

    @Test func aDayFieldStartingWithStarMakesBothRequired() throws {
        // Vixie cron: `*/2` counts as unrestricted, so odd days that are also Mondays.
        let expression = try cron("0 9 */2 * MON")
        #expect(expression.matches(local("2026-06-01T09:00")))  // Monday the 1st
        #expect(!expression.matches(local("2026-06-08T09:00")))  // Monday the 8th
        #expect(!expression.matches(local("2026-06-03T09:00")))  // Wednesday the 3rd
        let onlyWeekday = try cron("0 9 * * MON")
        #expect(onlyWeekday.matches(local("2026-06-08T09:00")))
        #expect(!onlyWeekday.matches(local("2026-06-09T09:00")))
    }

    @Test func fixedTimeAndWildcardJobs() throws {
        #expect(try cron("30 2 * * *").isFixedTime)
        #expect(try cron("0,30 1-3 * * *").isFixedTime)
        #expect(try cron("@daily").isFixedTime)
        #expect(try !cron("*/5 * * * *").isFixedTime)
        #expect(try !cron("@hourly").isFixedTime)
        #expect(try !cron("0 */2 * * *").isFixedTime)
    }

    @Test func localDateTimeValidatesAndFormats() {
        #expect(LocalDateTime(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDateTime(year: 2028, month: 2, day: 29) != nil)
        #expect(LocalDateTime(year: 2026, month: 1, day: 1, hour: 24) == nil)
        #expect(local("2026-03-08T02:30").description == "2026-03-08T02:30")
        #expect(local("2026-03-08T02:30").weekday == 0)
        #expect(local("2026-03-08T02:30") < local("2026-03-08T02:31"))
    }

    @Test func localDateTimeReadsBackItsDescription() {
        #expect(LocalDateTime("2026-03-08T02:30") == local("2026-03-08T02:30"))
        #expect(LocalDateTime(local("2027-12-31T23:59").description) == local("2027-12-31T23:59"))
        for bad in ["2026-02-29T00:00", "2026-03-08 02:30", "2026-3-08T02:30", "2026-03-08T24:00",
                    "2026-03-08T02:30Z", "２026-03-08T02:30", ""] {
            #expect(LocalDateTime(bad) == nil, "\(bad)")
        }
    }
}
