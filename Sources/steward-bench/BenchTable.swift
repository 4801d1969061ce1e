import Foundation

/// Timing helpers and the printed table.
enum Bench {
    /// Median of `repetitions` timings of `body`, in seconds.
    static func median(_ repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return times[times.count / 2]
    }

    static func format(_ seconds: Double) -> String {
        if seconds < 1e-6 { return String(format: "%.1f ns", seconds * 1e9) }
        if seconds < 1e-3 { return String(format: "%.2f µs", seconds * 1e6) }
        if seconds < 1 { return String(format: "%.2f ms", seconds * 1e3) }
        return String(format: "%.2f s", seconds)
    }

    /// Fen as yuan with thousands separators: `¥6,000,000.00`.
    static func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        var digits = String(abs(fen) / 100)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return String(format: "%@¥%@%@.%02d", sign, digits, grouped, Int(abs(fen) % 100))
    }

    struct Row {
        var name: String
        var value: String
        var comparison: String
        var goal: String
        var met: Bool?
    }

    static func printTable(_ title: String, _ rows: [Row]) {
        print("\n\(title)")
        let headers = ["measure", "figure", "compared with", "goal", "met"]
        let cells = rows.map { [$0.name, $0.value, $0.comparison, $0.goal, $0.met.map { $0 ? "yes" : "NO" } ?? "-"] }
        var widths = headers.map(\.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ r: [String]) -> String {
            r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ")
        }
        print(line(headers))
        print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-|-"))
        for r in cells { print(line(r)) }
    }
}
