/// A unified diff of two texts by lines (`diff -u` style, three lines of context), for
/// `steward scripts diff`. Common leading and trailing lines are set aside first; the rest is
/// aligned by a longest common subsequence, which for scripts (hundreds of lines) is instant.
/// A middle part too large for that (over ~4 million line pairs) is shown as replaced whole.
enum LineDiff {
    enum Line: Equatable {
        case same(String)
        case removed(String)
        case added(String)
    }

    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The edit script turning `old` into `new`.
    static func edits(_ old: [String], _ new: [String]) -> [Line] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        let a = Array(old[prefix..<(old.count - suffix)])
        let b = Array(new[prefix..<(new.count - suffix)])
        var out = old[..<prefix].map(Line.same)
        if a.count * b.count > 4_000_000 {
            out += a.map(Line.removed) + b.map(Line.added)
        } else {
            out += middle(a, b)
        }
        out += old[(old.count - suffix)...].map(Line.same)
        return out
    }

    private static func middle(_ a: [String], _ b: [String]) -> [Line] {
        let n = a.count, m = b.count
        // lcs[i][j]: length of the LCS of a[i...] and b[j...], row-major in one array.
        var lcs = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        if n > 0, m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i * (m + 1) + j] = a[i] == b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1
                        : max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1])
                }
            }
        }
        var out: [Line] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                out.append(.same(a[i])); i += 1; j += 1
            } else if i < n, j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1] {
                out.append(.removed(a[i])); i += 1  // removals first, as diff -u shows them
            } else {
                out.append(.added(b[j])); j += 1
            }
        }
        return out
    }

    /// `--- old` / `+++ new` and `@@` hunks; empty when the texts are equal.
    static func unified(old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3) -> String {
        let edits = edits(lines(old), lines(new))
        guard edits.contains(where: { if case .same = $0 { return false }; return true }) else { return "" }
        var out = "--- \(oldLabel)\n+++ \(newLabel)\n"
        // Positions (old line, new line) before each edit, to number the hunks.
        var positions: [(Int, Int)] = []
        var o = 0, n = 0
        for edit in edits {
            positions.append((o, n))
            switch edit {
            case .same: o += 1; n += 1
            case .removed: o += 1
            case .added: n += 1
            }
        }
        let changed = edits.indices.filter { if case .same = edits[$0] { return false }; return true }
        var start = 0
        while start < changed.count {
            var end = start
            while end + 1 < changed.count, changed[end + 1] - changed[end] <= 2 * context + 1 { end += 1 }
            let from = max(0, changed[start] - context)
            let to = min(edits.count - 1, changed[end] + context)
            var oldCount = 0, newCount = 0
            var body = ""
            for k in from...to {
                switch edits[k] {
                case .same(let line): body += " \(line)\n"; oldCount += 1; newCount += 1
                case .removed(let line): body += "-\(line)\n"; oldCount += 1
                case .added(let line): body += "+\(line)\n"; newCount += 1
                }
            }
            let (oldStart, newStart) = positions[from]
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n" + body
            start = end + 1
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        // diff -u numbers from 1; an empty range names the line before it.
        let first = count == 0 ? start : start + 1
        return count == 1 ? "\(first)" : "\(first),\(count)"
    }
}
