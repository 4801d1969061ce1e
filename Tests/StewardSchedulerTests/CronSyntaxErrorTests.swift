import Testing
@testable import StewardScheduler

@Suite("Cron expressions refused with field, position and reason")
struct CronSyntaxErrorTests {
    @Test(arguments: [
        ("61 * * * *", "minute: 61 is out of range 0–59 (position 1)"),
        ("* * *", "expected 5 fields, found 3"),
        ("@often", "unknown name '@often'"),
        ("", "expected 5 fields, found 0"),
        ("* * * * * *", "expected 5 fields, found 6"),
        ("0 24 * * *", "hour: 24 is out of range 0–23 (position 3)"),
        ("0 0 0 * *", "day-of-month: 0 is out of range 1–31 (position 5)"),
        ("0 0 32 * *", "day-of-month: 32 is out of range 1–31 (position 5)"),
        ("0 0 * 13 *", "month: 13 is out of range 1–12 (position 7)"),
        ("0 0 * * 8", "day-of-week: 8 is out of range 0–7 (position 9)"),
        ("0,5,99 * * * *", "minute: 99 is out of range 0–59 (position 5)"),
        ("99999999999999999999 * * * *",
         "minute: 99999999999999999999 is out of range 0–59 (position 1)"),
        ("0 9 * FOO *", "month: unknown name 'FOO' (position 7)"),
        ("0 9 * * MONDAY", "day-of-week: unknown name 'MONDAY' (position 9)"),
        ("MON 9 * * *", "minute: 'MON' is not a number (position 1)"),
        ("0 9 * 1a *", "month: '1a' is not a number or month name (JAN–DEC) (position 7)"),
        ("0 9 * * 1x", "day-of-week: '1x' is not a number or weekday name (SUN–SAT) (position 9)"),
        ("5-1 * * * *", "minute: range 5-1 runs backwards (position 1)"),
        ("0 0 * * FRI-MON", "day-of-week: range FRI-MON runs backwards (position 9)"),
        ("*/0 * * * *", "minute: step must be at least 1 (position 3)"),
        ("*/x * * * *", "minute: 'x' is not a valid step (position 3)"),
        ("*/ * * * *", "minute: expected a number (position 3)"),
        ("1,,2 * * * *", "minute: expected a number (position 3)"),
        ("1, * * * *", "minute: expected a number (position 3)"),
        ("0 1- * * *", "hour: expected a number (position 5)"),
        ("0 -1 * * *", "hour: expected a number (position 3)"),
        ("0 9 * * ,MON", "day-of-week: expected a number or name (position 9)"),
        ("1;2 * * * *", "minute: unexpected character ';' (position 2)"),
        ("*5 * * * *", "minute: unexpected character '5' (position 2)"),
        ("0 9 * * @daily", "day-of-week: unexpected character '@' (position 9)"),
        ("@daily 5", "'@daily' stands alone: nothing may follow it"),
        ("  0 9 * * 70", "day-of-week: 70 is out of range 0–7 (position 11)"),
        ("0 9 * * 一", "day-of-week: unknown name '一' (position 9)"),
        ("0 9 * * 1五", "day-of-week: '1五' is not a number or weekday name (SUN–SAT) (position 9)"),
    ])
    func refusedWithMessage(text: String, message: String) {
        let error = #expect(throws: CronSyntaxError.self) { try CronExpression(text) }
        #expect(error?.description == message)
    }

    @Test func errorsCarryFieldPositionAndProblem() {
        do {
            _ = try CronExpression("61 * * * *")
            Issue.record("accepted 61 as a minute")
        } catch {
            #expect(error.field == .minute)
            #expect(error.position == 1)
            #expect(error.problem == .outOfRange("61", 0...59))
            #expect(error.reason == "61 is out of range 0–59")
        }
        do {
            _ = try CronExpression("* * *")
            Issue.record("accepted three fields")
        } catch {
            #expect(error.field == nil)
            #expect(error.problem == .wrongFieldCount(found: 3))
        }
        do {
            _ = try CronExpression("@often")
            Issue.record("accepted @often")
        } catch {
            #expect(error.field == nil)
            #expect(error.position == 1)
            #expect(error.problem == .unknownName("@often"))
        }
    }

    @Test func positionsCountCharactersNotBytes() {
        // An ideographic space (3 bytes of UTF-8) is one character and separates fields.
        let error = #expect(throws: CronSyntaxError.self) { try CronExpression("\u{3000}61 * * * *") }
        #expect(error?.description == "minute: 61 is out of range 0–59 (position 2)")
    }

    @Test func unknownTimeZoneIsNamed() {
        let error = #expect(throws: UnknownTimeZoneError.self) {
            try CronSchedule(CronExpression("@daily"), timeZoneIdentifier: "Mars/Olympus")
        }
        #expect(error?.description == "unknown time zone 'Mars/Olympus'")
        #expect(throws: UnknownTimeZoneError(identifier: "asia/shanghai")) {
            try CronSchedule(CronExpression("@daily"), timeZoneIdentifier: "asia/shanghai")
        }
    }
}
