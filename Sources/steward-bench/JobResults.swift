import Foundation

/// What each implementation of a job printed or wrote, reduced to the figures that must
/// agree. A ratio between two programs means something only when they did the same work, so
/// every job's results are compared before its times are: a difference is a failed row and a
/// non-zero exit, never a footnote.
enum JobResults {
    /// `granted G, unfunded U, paid P`, where P is `¥4,828,680.00` (Steward, Python) or a
    /// number of fen (plain Lua). Nil when no line of `output` has that shape.
    static func subsidy(_ output: String) -> String? {
        for line in output.split(separator: "\n") where line.hasPrefix("granted ") {
            let parts = line.split(separator: " ")
            guard parts.count == 6, parts[2] == "unfunded", parts[4] == "paid",
                  let granted = Int(parts[1].dropLast()), let unfunded = Int(parts[3].dropLast()),
                  let fen = fen(parts[5]) else { return nil }
            return "granted \(granted), unfunded \(unfunded), paid \(Bench.yuan(fen))"
        }
        return nil
    }

    /// `¥4,828,680.00` or `482868000` as fen.
    static func fen(_ text: Substring) -> Int64? {
        guard text.hasPrefix("¥") else { return Int64(text) }
        let digits = text.dropFirst().filter { $0 != "," }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, let yuan = Int64(parts[0]), let cents = Int64(parts[1]) else { return nil }
        return yuan * 100 + cents
    }

    /// `rows|fen` as the query after a subsidy commit prints it.
    static func written(_ output: String) -> String? {
        let parts = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|")
        guard parts.count == 2, let rows = Int(parts[0]), let fen = Int64(parts[1]) else { return nil }
        return "\(rows) ledger rows, \(Bench.yuan(fen))"
    }

    /// The number after `reminders:` (Steward prints a tab, Python a space).
    static func reminders(_ output: String) -> String? {
        for line in output.split(separator: "\n") where line.hasPrefix("reminders:") {
            return Int(line.dropFirst("reminders:".count).trimmingCharacters(in: .whitespaces)).map { "\($0) reminders" }
        }
        return nil
    }

    /// The `town|count` lines, sorted: sqlite3 prints them in town order, Steward by name.
    static func townCounts(_ output: String) -> String? {
        let lines = output.split(separator: "\n").filter { $0.contains("|") }.map(String.init).sorted()
        return lines.isEmpty ? nil : lines.joined(separator: ", ")
    }
}

/// The results of one job by each program, gathered over the repetitions.
struct Agreement {
    /// Program → every distinct result it gave (one, when it is deterministic).
    private var results: [(program: String, values: Set<String>)] = []

    /// Records `result` for `program`; nil (output not understood) is recorded as such.
    mutating func record(_ program: String, _ result: String?) {
        let value = result ?? "(no result in its output)"
        if let i = results.firstIndex(where: { $0.program == program }) {
            results[i].values.insert(value)
        } else {
            results.append((program, [value]))
        }
    }

    /// True when every program gave one and the same result, every time.
    var agrees: Bool {
        guard let first = results.first?.values, first.count == 1, !first.contains("(no result in its output)") else { return false }
        return results.allSatisfy { $0.values == first }
    }

    /// The shared result, or each program's results when they differ.
    var summary: String {
        if agrees, let value = results.first?.values.first { return value }
        return results.map { "\($0.program): \($0.values.sorted().joined(separator: " / "))" }.joined(separator: "; ")
    }
}
