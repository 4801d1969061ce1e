import Foundation
import Testing
import StewardCore

@Suite("Period")
struct PeriodTests {
    func date(_ text: String) throws -> CivilDate { try CivilDate(parsing: text) }

    @Test("parses and round-trips its text", arguments: [
        ("2025", "2025", "2025-01-01", "2025-12-31"),
        ("2025-Q2", "2025-Q2", "2025-04-01", "2025-06-30"),
        ("2025-q4", "2025-Q4", "2025-10-01", "2025-12-31"),
        ("2025Q1", "2025-Q1", "2025-01-01", "2025-03-31"),
        ("2025-03", "2025-03", "2025-03-01", "2025-03-31"),
        ("2024-02", "2024-02", "2024-02-01", "2024-02-29"),
    ])
    func parses(text: String, canonical: String, first: String, last: String) throws {
        let period = try Period(parsing: text)
        #expect(period.description == canonical)
        #expect(try Period(parsing: period.description) == period)
        #expect(period.firstDay.iso == first)
        #expect(period.lastDay.iso == last)
    }

    @Test func rejectsBadText() {
        for bad in ["", "25", "2025-", "2025-Q5", "2025-Q0", "2025-13", "2025-00", "2025-3", "2025/03", "abcd", "2025-Q12"] {
            #expect(throws: (any Error).self) { try Period(parsing: bad) }
        }
        #expect(throws: PeriodError.invalid("quarter 5 of year 2025")) { try Period(parsing: "2025-Q5") }
        #expect(throws: PeriodError.unparseable("2025/03")) { try Period(parsing: "2025/03") }
        #expect(PeriodError.unparseable("2025/03").description
            == "'2025/03' is not a period: expected a year (2025), a quarter (2025-Q2) or a month (2025-03).")
        #expect(throws: PeriodError.invalid("month 13 of year 2025")) { try Period.month(2025, 13) }
    }

    @Test func containsDatesAndPeriods() throws {
        let q2 = try Period.quarter(2025, 2)
        #expect(q2.contains(try date("2025-04-01")))
        #expect(q2.contains(try date("2025-06-30")))
        #expect(!q2.contains(try date("2025-07-01")))
        #expect(!q2.contains(try date("2025-03-31")))
        #expect(try Period.year(2025).contains(q2))
        #expect(q2.contains(try Period.month(2025, 5)))
        #expect(!q2.contains(try Period.year(2025)))
        #expect(q2.contains(q2))
        #expect(q2.dayCount == 91)
        #expect(try Period.year(2024).dayCount == 366)
        #expect(q2.months.map(\.description) == ["2025-04", "2025-05", "2025-06"])
    }

    @Test func nextAndPrevious() throws {
        #expect(try Period(parsing: "2025-12").next().description == "2026-01")
        #expect(try Period(parsing: "2025-01").previous().description == "2024-12")
        #expect(try Period(parsing: "2025-Q4").next().description == "2026-Q1")
        #expect(try Period(parsing: "2025-Q1").previous().description == "2024-Q4")
        #expect(try Period(parsing: "2025").next().description == "2026")
        #expect(try Period(parsing: "2025-03").offset(by: -15).description == "2023-12")
        #expect(throws: PeriodError.invalid("the period 1 after 9999")) { try Period.year(9999).next() }
    }

    @Test func periodContainingADate() throws {
        let day = try date("2025-08-15")
        #expect(Period.containing(day, kind: .month).description == "2025-08")
        #expect(Period.containing(day, kind: .quarter).description == "2025-Q3")
        #expect(Period.containing(day, kind: .year).description == "2025")
    }

    @Test func ordersAndCodes() throws {
        let sorted = try ["2025", "2025-Q1", "2024-12", "2025-01"].map { try Period(parsing: $0) }.sorted()
        #expect(sorted.map(\.description) == ["2024-12", "2025-01", "2025-Q1", "2025"])
        let data = try JSONEncoder().encode([try Period(parsing: "2025-Q2")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-Q2"]"#)
        #expect(try JSONDecoder().decode([Period].self, from: data).first?.description == "2025-Q2")
    }
}
