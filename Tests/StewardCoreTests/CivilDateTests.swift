import Foundation
import Testing
import StewardCore

@Suite("CivilDate")
struct CivilDateTests {
    func date(_ text: String) throws -> CivilDate { try CivilDate(parsing: text) }

    @Test func validatesDays() throws {
        #expect(throws: CivilDateError.invalidDate(year: 2025, month: 2, day: 29)) {
            try CivilDate(year: 2025, month: 2, day: 29)
        }
        #expect(try CivilDate(year: 2024, month: 2, day: 29).iso == "2024-02-29")
        #expect(throws: CivilDateError.invalidDate(year: 1900, month: 2, day: 29)) {
            try CivilDate(year: 1900, month: 2, day: 29)
        }
        #expect(try CivilDate(year: 2000, month: 2, day: 29).iso == "2000-02-29")
        #expect(throws: CivilDateError.invalidDate(year: 2025, month: 13, day: 1)) { try CivilDate(year: 2025, month: 13, day: 1) }
        #expect(throws: CivilDateError.invalidDate(year: 2025, month: 4, day: 31)) { try CivilDate(year: 2025, month: 4, day: 31) }
        #expect(throws: CivilDateError.invalidDate(year: 0, month: 1, day: 1)) { try CivilDate(year: 0, month: 1, day: 1) }
        #expect(CivilDateError.invalidDate(year: 2025, month: 2, day: 29).description == "2025-02-29 is not a real calendar date.")
    }

    @Test func parsesBothForms() throws {
        let expected = try CivilDate(year: 2025, month: 3, day: 1)
        #expect(try date("2025-03-01") == expected)
        #expect(try date("20250301") == expected)
        #expect(try date(" 2025-03-01\n") == expected)
        #expect(expected.iso == "2025-03-01")
        #expect(expected.compact == "20250301")
        #expect(expected.description == "2025-03-01")
        #expect(CivilDate("2025-03-01") == expected)
        #expect(throws: CivilDateError.invalidDate(year: 2025, month: 2, day: 29)) { try date("20250229") }
        for bad in ["2025-3-1", "2025/03/01", "25-03-01", "", "2025-03-0a", "202503011"] {
            #expect(throws: CivilDateError.unparseable(bad)) { try date(bad) }
        }
        #expect(CivilDateError.unparseable("2025/03/01").description
            == "'2025/03/01' is not a date: expected YYYY-MM-DD (2025-03-01) or YYYYMMDD (20250301).")
    }

    @Test func dayNumbersRoundTrip() throws {
        #expect(try date("1970-01-01").daysSinceEpoch == 0)
        #expect(try date("2025-03-01").daysSinceEpoch == 20_148)
        #expect(CivilDate.earliest.daysSinceEpoch == -719_162)
        #expect(CivilDate.latest.daysSinceEpoch == 2_932_896)
        for day in stride(from: -719_162, through: 2_932_896, by: 9_973) {
            #expect(try CivilDate(daysSinceEpoch: day).daysSinceEpoch == day)
        }
        #expect(throws: CivilDateError.outOfRange("Day number 2932897")) { try CivilDate(daysSinceEpoch: 2_932_897) }
    }

    @Test("adds months with month-end clamping", arguments: [
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-03-31", -1, "2025-02-28"),
        ("2025-05-31", 1, "2025-06-30"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2025-01-15", -1, "2024-12-15"),
        ("2025-01-15", -13, "2023-12-15"),
        ("2025-08-31", 6, "2026-02-28"),
        ("2025-03-01", 0, "2025-03-01"),
    ])
    func addsMonths(start: String, months: Int, expected: String) throws {
        #expect(try date(start).adding(months: months).iso == expected)
    }

    @Test func addsDaysAndYears() throws {
        #expect(try date("2025-02-28").adding(days: 1).iso == "2025-03-01")
        #expect(try date("2024-02-28").adding(days: 1).iso == "2024-02-29")
        #expect(try date("2025-01-01").adding(days: -1).iso == "2024-12-31")
        #expect(try date("2024-02-29").adding(years: 1).iso == "2025-02-28")
        #expect(try date("2024-02-29").adding(years: 4).iso == "2028-02-29")
        #expect(throws: CivilDateError.outOfRange("9999-12-31 + 1 days")) { try CivilDate.latest.adding(days: 1) }
        #expect(throws: CivilDateError.outOfRange("0001-01-01 + -1 months")) { try CivilDate.earliest.adding(months: -1) }
        #expect(try date("2024-03-01").days(until: date("2025-03-31")) == 395)
        #expect(try date("2025-03-31").days(until: date("2025-03-01")) == -30)
    }

    @Test func weekdays() throws {
        #expect(try date("2025-03-01").weekday == .saturday)
        #expect(try date("1949-12-31").weekday == .saturday)
        #expect(try date("2000-02-29").weekday == .tuesday)
        #expect(try date("1969-12-31").weekday == .wednesday)
        #expect(try date("1970-01-01").weekday == .thursday)
        #expect(Weekday.saturday.chineseName == "星期六")
        #expect(Weekday.saturday.isWeekend && !Weekday.friday.isWeekend)
    }

    @Test func monthEnds() throws {
        #expect(try date("2024-02-10").lastOfMonth.iso == "2024-02-29")
        #expect(try date("2024-02-10").firstOfMonth.iso == "2024-02-01")
    }

    @Test func agesIncludingTheTwentyNinthOfFebruary() throws {
        let born = try date("1944-02-29")
        #expect(born.age(on: try date("2024-02-28")) == 79)
        #expect(born.age(on: try date("2024-02-29")) == 80)
        // Common year: the anniversary is 1 March, so 28 February is still the younger age.
        #expect(born.age(on: try date("2025-02-28")) == 80)
        #expect(born.age(on: try date("2025-03-01")) == 81)
        #expect(try born.dateOfTurning(80).iso == "2024-02-29")
        #expect(try born.dateOfTurning(81).iso == "2025-03-01")

        let ordinary = try date("1945-06-15")
        #expect(ordinary.age(on: try date("2025-06-14")) == 79)
        #expect(ordinary.age(on: try date("2025-06-15")) == 80)
        #expect(ordinary.age(on: try date("1945-06-15")) == 0)
        #expect(ordinary.age(on: try date("1940-01-01")) == 0)
        #expect(try ordinary.dateOfTurning(80).iso == "2025-06-15")
    }

    @Test func comparesAndCodesAsISOText() throws {
        #expect(try date("2025-03-01") < date("2025-03-02"))
        #expect(try date("2024-12-31") < date("2025-01-01"))
        let data = try JSONEncoder().encode([try date("2025-03-01")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-03-01"]"#)
        #expect(try JSONDecoder().decode([CivilDate].self, from: data) == [try date("2025-03-01")])
        #expect(throws: (any Error).self) { try JSONDecoder().decode([CivilDate].self, from: Data(#"["2025-02-29"]"#.utf8)) }
    }

    @Test func civilDateOfAnInstantInShanghai() throws {
        // 2025-02-28T16:30:00Z is 00:30 on 1 March in Shanghai.
        let instant = Date(timeIntervalSince1970: 1_740_760_200)
        #expect(CivilDate(instant).iso == "2025-03-01")
        #expect(CivilDate(instant, in: TimeZone(identifier: "UTC")!).iso == "2025-02-28")
        #expect(try date("2025-03-01").startOfDay() == Date(timeIntervalSince1970: 1_740_758_400))
    }
}
