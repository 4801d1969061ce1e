import Foundation
import StewardCore
import StewardStore

/// Reminders as an iCalendar document (RFC 5545) that common calendar apps import: one
/// all-day VEVENT per reminder on its due date.
///
/// - Lines end in CRLF and are folded at 75 octets (a continuation starts with one space),
///   never inside a UTF-8 sequence, so Chinese text survives.
/// - TEXT values escape `\`, `;`, `,` and line breaks.
/// - Each event's UID is derived from the reminder's dedup key (which the store keeps unique and
///   scripts keep stable), so exporting again — from this database or a rebuilt one — updates
///   the same events instead of adding copies. DTSTAMP is the export time; SEQUENCE and
///   LAST-MODIFIED follow the reminder's status changes.
struct ICalendarWriter {
    var now: Date
    var calendarName = "Steward reminders"

    func document(_ reminders: [ReminderRecord]) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Steward//Steward reminders//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + Self.escape(calendarName),
        ]
        for reminder in reminders { lines += event(reminder) }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined()
    }

    func event(_ r: ReminderRecord) -> [String] {
        var description = "\(r.kind) · \(r.subjectKind) \(r.subjectID)"
        if let place = r.placeName { description += " · \(place)" }
        description += "\nstatus: \(r.status.rawValue)\nkey: \(r.dedupKey)"
        if let run = r.runID { description += "\nrun: \(run)" }
        var lines = [
            "BEGIN:VEVENT",
            "UID:" + Self.uid(r),
            "DTSTAMP:" + Self.utcStamp(now),
            "DTSTART;VALUE=DATE:" + Self.basicDate(r.dueOn),
        ]
        if let next = try? r.dueOn.adding(days: 1) { lines.append("DTEND;VALUE=DATE:" + Self.basicDate(next)) }
        lines += [
            "SUMMARY:" + Self.escape(r.text.isEmpty ? r.kind : r.text),
            "DESCRIPTION:" + Self.escape(description),
            "CATEGORIES:" + Self.escape(r.kind),
            "STATUS:" + (r.status == .done ? "CANCELLED" : "CONFIRMED"),
            "TRANSP:TRANSPARENT",
            "SEQUENCE:" + String(Self.sequence(r)),
        ]
        if let created = r.createdAt { lines.append("CREATED:" + Self.utcStamp(created)) }
        if let modified = r.statusAt ?? r.createdAt { lines.append("LAST-MODIFIED:" + Self.utcStamp(modified)) }
        if let place = r.placeName { lines.append("LOCATION:" + Self.escape(place)) }
        lines.append("END:VEVENT")
        return lines
    }

    /// `reminder-<first 32 hex digits of SHA-256(dedup key)>@steward`: stable per reminder,
    /// and safe whatever characters the key holds.
    static func uid(_ r: ReminderRecord) -> String {
        "reminder-" + SHA256.hex(r.dedupKey).prefix(32) + "@steward"
    }

    /// 0 while pending, 1 once sent, 2 once done: calendar apps take the higher number as the
    /// newer version of the event.
    static func sequence(_ r: ReminderRecord) -> Int {
        switch r.status {
        case .pending: 0
        case .sent: 1
        case .done: 2
        }
    }

    static func basicDate(_ date: CivilDate) -> String {
        date.iso.replacingOccurrences(of: "-", with: "")
    }

    static func utcStamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// RFC 5545 §3.3.11 TEXT escaping; other control characters are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// One content line, folded so no physical line exceeds 75 octets, then CRLF.
    static func fold(_ line: String) -> String {
        var out = ""
        var width = 0
        let limit = 75
        for scalar in line.unicodeScalars {
            let octets = String(scalar).utf8.count
            if width + octets > limit {
                out += "\r\n "
                width = 1
            }
            out.unicodeScalars.append(scalar)
            width += octets
        }
        return out + "\r\n"
    }
}

/// Reminders as CSV for Excel: UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting, and free
/// text guarded against formula injection.
enum ReminderCSV {
    static func document(_ reminders: [ReminderRecord]) -> String {
        var writer = CSVWriter()
        writer.write(["id", "due_on", "kind", "subject_kind", "subject_id", "town_code", "town", "text", "status",
                      "dedup_key", "run_id", "created_at", "uid"])
        for r in reminders {
            writer.write([String(r.id), r.dueOn.iso, CSVWriter.neutralised(r.kind), r.subjectKind,
                          CSVWriter.neutralised(r.subjectID), r.placeCode ?? "", CSVWriter.neutralised(r.placeName ?? ""),
                          CSVWriter.neutralised(r.text), r.status.rawValue, CSVWriter.neutralised(r.dedupKey),
                          r.runID.map { String($0) } ?? "", r.createdAt.map(CommandTime.utc) ?? "", ICalendarWriter.uid(r)])
        }
        return writer.text
    }
}
