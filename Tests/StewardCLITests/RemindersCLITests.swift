import Foundation
import Testing

/// Reminders from committed scheduled runs: the outbox, `list` filters, `done`, and export as
/// iCalendar (RFC 5545) and CSV.
@Suite("steward reminders: the outbox, iCalendar and CSV")
struct RemindersCLITests {
    /// Three members get a home-visit reminder each, due 3, 6 and 9 days after the slot's
    /// date, with text that needs escaping and folding (commas, semicolons, a backslash, a
    /// newline, long Chinese text).
    static let script = #"""
        script{ name = "visits", idempotent = true }
        local n = 0
        for m in members{}:order_by("id"):limit(3):each() do
          n = n + 1
          remind{ subject = m, kind = "home_visit", due = today() + days(n * 3),
                  text = ("家访, 第%d次; 请带上 \\ 表格\n第二行"):format(n) .. string.rep("长", 40),
                  key = "visit:" .. m.id .. ":" .. today():iso() }
        end
        """#

    /// A fixture whose scheduled script ran once, on 2025-06-15 (Shanghai), leaving three reminders.
    func withReminders() throws -> RunnerFixture {
        let f = try RunnerFixture()
        try f.addApproved("visits", Self.script)
        try f.schedule("visits", "0 9 * * *", from: "2025-06-15T00:00:00Z")
        let r = try f.once("2025-06-15T01:00:10Z")
        guard r.exitCode == 0, r.stdoutText.contains("ran: visits slot 2025-06-15T09:00: succeeded") else {
            throw RunnerFixture.FixtureError("the scheduled run failed: \(r.summary)")
        }
        return f
    }

    struct Item: Decodable {
        var id: Int64
        var dueOn: String
        var kind: String
        var subjectKind: String
        var subjectID: String
        var town: String?
        var text: String
        var status: String
        var dedupKey: String
        var runID: Int64?
    }

    func list(_ f: RunnerFixture, _ flags: [String] = []) throws -> [Item] {
        let r = try f.steward(["reminders", "list", "--format", "json"] + flags)
        #expect(r.exitCode == 0, "\(r.summary)")
        return try JSONDecoder().decode([Item].self, from: r.stdout)
    }

    @Test func remindersLandInTheOutboxWhenTheRunCommits() throws {
        let f = try withReminders()
        let all = try list(f)
        #expect(all.map(\.dueOn) == ["2025-06-18", "2025-06-21", "2025-06-24"])
        #expect(all.allSatisfy { $0.status == "pending" && $0.kind == "home_visit" && $0.subjectKind == "member" })
        let run = try #require(f.runs(script: "visits").first)
        #expect(all.allSatisfy { $0.runID == run.id })
        // The same slot's reminders are not proposed twice: a second run of the day adds none.
        try f.schedule("visits", "30 9 * * *", from: "2025-06-15T01:10:00Z")
        try f.once("2025-06-15T01:30:10Z")
        #expect(try list(f).count == 3)
    }

    @Test func listFiltersByDueDateStatusAndTown() throws {
        let f = try withReminders()
        #expect(try list(f, ["--due-within", "7d", "--today", "2025-06-15"]).map(\.dueOn) == ["2025-06-18", "2025-06-21"])
        #expect(try list(f, ["--due-within", "2w", "--today", "2025-06-15"]).count == 3)
        let all = try list(f)
        let town = try #require(all.first?.town)
        let inTown = try list(f, ["--town", town])
        #expect(!inTown.isEmpty)
        #expect(inTown.allSatisfy { $0.town == town })
        let unknown = try f.steward(["reminders", "list", "--town", "火星镇"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderrText.hasPrefix("error: --town 火星镇: no such town"))

        let done = try f.steward(["reminders", "done", String(all[0].id)])
        #expect(done.exitCode == 0, "\(done.summary)")
        #expect(done.stdoutText.hasPrefix("reminder \(all[0].id) done: "))
        #expect(try list(f).count == 2)  // done ones are not listed by default
        #expect(try list(f, ["--status", "done"]).map(\.id) == [all[0].id])
        #expect(try f.steward(["reminders", "done", "99999"]).exitCode == 2)
    }

    // MARK: iCalendar

    @Test func icsExportIsValidRFC5545() throws {
        let f = try withReminders()
        let r = try f.steward(["reminders", "export", "--format", "ics", "--now", "2025-06-15T02:00:00Z", "--keep-status"])
        #expect(r.exitCode == 0, "\(r.summary)")
        let text = r.stdoutText
        // Every line ends in CRLF, no physical line is longer than 75 octets, and folding
        // never splits a UTF-8 sequence (the text decodes, and unfolds to the original).
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        let physical = text.components(separatedBy: "\r\n").dropLast()
        #expect(!physical.contains { $0.contains("\n") || $0.contains("\r") })
        #expect(physical.allSatisfy { $0.utf8.count <= 75 }, "\(physical.map { $0.utf8.count }.max() ?? 0)")
        #expect(physical.contains { $0.hasPrefix(" ") }, "long lines are folded")
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").dropLast()
        #expect(unfolded.first == "BEGIN:VCALENDAR")
        #expect(unfolded.contains("VERSION:2.0"))
        #expect(unfolded.contains { $0.hasPrefix("PRODID:") })
        #expect(unfolded.filter { $0 == "BEGIN:VEVENT" }.count == 3)
        #expect(unfolded.filter { $0 == "END:VEVENT" }.count == 3)
        #expect(unfolded.filter { $0 == "DTSTAMP:20250615T020000Z" }.count == 3)
        #expect(unfolded.filter { $0.hasPrefix("DTSTART;VALUE=DATE:") } == [
            "DTSTART;VALUE=DATE:20250618", "DTSTART;VALUE=DATE:20250621", "DTSTART;VALUE=DATE:20250624",
        ])
        #expect(unfolded.contains("DTEND;VALUE=DATE:20250619"))
        let summary = try #require(unfolded.first { $0.hasPrefix("SUMMARY:") })
        #expect(summary == "SUMMARY:家访\\, 第1次\\; 请带上 \\\\ 表格\\n第二行" + String(repeating: "长", count: 40))
        // Each event has a UID, unique, and the same on the next export (which also marks the
        // reminders sent and bumps SEQUENCE), so calendars update events instead of adding copies.
        let uids = unfolded.filter { $0.hasPrefix("UID:") }
        #expect(uids.count == 3)
        #expect(Set(uids).count == 3)
        #expect(uids.allSatisfy { $0.hasPrefix("UID:reminder-") && $0.hasSuffix("@steward") })
        let again = try f.steward(["reminders", "export", "--format", "ics", "--now", "2025-06-16T02:00:00Z"])
        #expect(again.stderrText.contains("exported 3 reminder(s); 3 marked sent"))
        let againLines = again.stdoutText.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
        #expect(againLines.filter { $0.hasPrefix("UID:") } == uids)
        let third = try f.steward(["reminders", "export", "--format", "ics", "--now", "2025-06-17T02:00:00Z"])
        #expect(third.stdoutText.replacingOccurrences(of: "\r\n ", with: "").contains("SEQUENCE:1"))
        #expect(try list(f).allSatisfy { $0.status == "sent" })

        try validateWithPythonICalendar(f, text)
    }

    /// If Python's `icalendar` is installed (`pip install icalendar`), it must parse the
    /// export and read back the same events; otherwise this check is skipped.
    func validateWithPythonICalendar(_ f: RunnerFixture, _ text: String) throws {
        let file = try f.scratch.write("reminders.ics", text)
        let check = """
            import sys
            try:
                import icalendar
            except ImportError:
                print("skip"); sys.exit(0)
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
            events = list(cal.walk("VEVENT"))
            assert len(events) == 3, len(events)
            for e in events:
                assert str(e["UID"]).endswith("@steward")
                assert e.decoded("DTSTART").isoformat() in ("2025-06-18", "2025-06-21", "2025-06-24")
            s = str(events[0]["SUMMARY"])
            assert s.startswith("家访, 第1次; 请带上 \\\\ 表格\\n第二行"), repr(s)
            print("ok")
            """
        let python = URL(fileURLWithPath: "/usr/bin/env")
        guard let r = try? StewardBinary.run(executable: python, ["python3", "-c", check, file.path]) else { return }
        guard r.exitCode == 0 || r.stdoutText.isEmpty else {
            Issue.record("icalendar refused the export: \(r.summary)")
            return
        }
        if r.exitCode == 0 { #expect(r.stdoutText == "ok\n" || r.stdoutText == "skip\n", "\(r.summary)") }
    }

    // MARK: CSV

    @Test func csvExportIsExcelFriendly() throws {
        let f = try withReminders()
        let r = try f.steward(["reminders", "export", "--format", "csv", "--keep-status"])
        #expect(r.exitCode == 0)
        #expect(Array(r.stdout.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: r.stdout.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("id,due_on,kind,subject_kind,subject_id,town_code,town,text,status,dedup_key,run_id,created_at,uid\r\n"))
        #expect(text.contains(",2025-06-18,home_visit,member,"))
        #expect(text.contains("\"家访, 第1次; 请带上 \\ 表格\n第二行"))
        #expect(try list(f).allSatisfy { $0.status == "pending" })
        let file = f.scratch.url.appendingPathComponent("out.csv").path
        let written = try f.steward(["reminders", "export", "--format", "csv", "-o", file])
        #expect(written.exitCode == 0)
        #expect(FileManager.default.contents(atPath: file)?.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        #expect(try list(f).allSatisfy { $0.status == "sent" })
    }
}
