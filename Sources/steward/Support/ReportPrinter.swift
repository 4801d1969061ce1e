import ArgumentParser
import Foundation
import StewardCore
import StewardScripting

/// Prints a run report as text (output on stdout, problems on stderr) or as JSON.
struct ReportPrinter {
    let format: OutputFormat
    /// Effects listed per kind before the rest is summarised.
    var listLimit = 20

    func print(_ report: RunReport) throws {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(report))
            FileHandle.standardOutput.write(Data("\n".utf8))
        case .text:
            writeOut(report.output)
            if report.status == .ok || report.status == .refused || report.status == .pendingApproval {
                for result in report.results { writeOut(result + "\n") }
                writeOut(EffectsText.render(report, listLimit: listLimit))
            }
            // A run stopped by a limit did not finish: its warnings are in the JSON report only.
            if report.status != .limitExceeded {
                for warning in report.warnings { printError("warning: \(warning)") }
            }
            for violation in report.violations { printError("refused: \(violation)") }
            if let error = report.error {
                printError(report.status == .limitExceeded ? "error: \(report.script): \(error.message)" : error.message)
            }
            if let approval = report.approval { printError(approval.message) }
        }
    }

    static func exitCode(for report: RunReport) -> ExitCode {
        switch report.status {
        case .ok: return StewardExit.ok.code
        case .scriptError: return StewardExit.scriptError.code
        case .limitExceeded: return StewardExit.limit.code
        case .refused: return StewardExit.refused.code
        case .inputError: return StewardExit.usage.code
        case .crashed: return StewardExit.scriptError.code
        case .pendingApproval: return StewardExit.pending.code
        }
    }
}

/// The "what would happen" part of a report, for people.
enum EffectsText {
    static func render(_ report: RunReport, listLimit: Int) -> String {
        if report.effects.isEmpty && report.alreadyApplied == 0 { return "" }
        var out = "\n"
        if report.committed {
            out += "Committed \(report.effects.count) effect(s) as run \(report.runID.map(String.init) ?? "?").\n"
        } else if report.status == .pendingApproval {
            out += "Not committed: these \(report.effects.count) effect(s) are stored as run \(report.runID.map(String.init) ?? "?"), "
                + "pending approval by a second approver.\n"
        } else if report.status == .ok {
            out += "Dry run: nothing was written. Run again with --commit to apply these \(report.effects.count) effect(s).\n"
        }
        if report.alreadyApplied > 0 {
            out += "\(report.alreadyApplied) effect(s) were already applied by an earlier run and are skipped.\n"
        }
        if !report.budgets.isEmpty {
            out += "\nBudgets\n"
            let rows = report.budgets.map { b in
                [b.code, b.name, Money(fen: b.beforeFen).formatted(), Money(fen: b.afterFen).formatted(), String(b.entries)]
            }
            out += TextTable(headers: ["budget", "name", "available before", "after", "entries"], rows: rows,
                             rightAligned: [2, 3, 4]).render() + "\n"
        }
        for group in groups(report.effects, listing: listLimit) {
            out += "\n\(title(group.kind)) (\(group.count))\n"
            for effect in group.listed { out += "  " + line(effect) + "\n" }
            if group.count > group.listed.count { out += "  … and \(group.count - group.listed.count) more\n" }
        }
        return out
    }

    /// Effects by kind (sorted by kind name): how many of each, and the first `limit` of
    /// each in order. Only the listed ones are copied: grouping a run's 26,707 ledger entries
    /// whole to print twenty cost a twentieth of the run.
    static func groups(_ effects: [Effect], listing limit: Int) -> [(kind: String, count: Int, listed: [Effect])] {
        // Counted by kind number, not by name: a string hash per effect was most of the cost.
        var counts = [Int](repeating: 0, count: Effect.kindNames.count)
        var listed = [[Effect]](repeating: [], count: Effect.kindNames.count)
        for index in effects.indices {
            let kind = effects[index].kindIndex
            counts[kind] += 1
            if counts[kind] <= limit { listed[kind].append(effects[index]) }
        }
        return Effect.kindNames.indices.filter { counts[$0] > 0 }
            .map { (kind: Effect.kindNames[$0], count: counts[$0], listed: listed[$0]) }
            .sorted { $0.kind < $1.kind }
    }

    static func title(_ kind: String) -> String {
        switch kind {
        case "ledger": return "Ledger entries"
        case "quota_booking": return "Quota bookings"
        case "set_quota": return "Quota settings"
        case "reminder": return "Reminders"
        case "waitlist": return "Waitlist entries"
        case "enrolment": return "Enrolments"
        case "record_update": return "Record updates"
        default: return kind
        }
    }

    static func line(_ effect: Effect) -> String {
        switch effect {
        case .ledger(let e):
            var parts = ["\(e.kind.rawValue) \(e.amount.formatted()) from \(e.budgetCode)"]
            if let m = e.memberID { parts.append("to member \(m)") } else if let p = e.placeCode { parts.append("to \(p)") }
            if let p = e.programmeCode { parts.append("programme \(p)") }
            if let k = e.benefitKind { parts.append(k) }
            if let p = e.period { parts.append(p.description) }
            if !e.memo.isEmpty { parts.append("“\(e.memo)”") }
            return parts.joined(separator: ", ")
        case .quotaBooking(let b):
            return "\(b.programmeCode) \(b.period) \(b.placeCode ?? "district"): \(b.count)\(b.memberID.map { " for member \($0)" } ?? "")"
        case .setQuota(let q):
            return "\(q.programmeCode) \(q.period) \(q.placeCode ?? "district"): limit \(q.limit) (\(q.hard ? "hard" : "soft"))"
        case .reminder(let r):
            return "\(r.dueDate.iso) \(r.kind) for \(r.subjectKind.rawValue) \(r.subjectID): \(r.text)"
        case .waitlist(let w):
            return "member \(w.memberID) on \(w.programmeCode)\(w.facilityCode.map { " at \($0)" } ?? ""): \(w.reason)"
        case .enrolment(let e):
            return "member \(e.memberID) in \(e.programmeCode)\(e.facilityCode.map { " at \($0)" } ?? "") from \(e.startDate.iso)"
        case .recordUpdate(let u):
            return "\(u.field): \(u.old.map { "\($0)" } ?? "?") → \(u.new)"
        }
    }
}
