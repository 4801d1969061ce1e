import ChildProcess
import Foundation

/// Every timing, peak and output of one run of the jobs, by key, and the problems met on the
/// way: a process that failed, results that differ. Problems are printed as they happen and
/// again under the table, and make `steward-bench` exit 1.
final class JobMeasurements {
    private var times: [String: [Double]] = [:]
    private var peaks: [String: Int] = [:]
    private var outputs: [String: String] = [:]
    private(set) var problems: [String] = []

    /// Runs `arguments` and records its time, peak memory and output under `key`.
    @discardableResult
    func measure(_ key: String, _ arguments: [String]) -> ChildProcess.Measurement {
        let m = ChildProcess.measure(arguments)
        if m.status != 0 { problem("\(key) exited \(m.status): \(m.diagnostics)") }
        add(key, seconds: m.seconds)
        peaks[key] = max(peaks[key] ?? 0, m.peakBytes)
        outputs[key] = m.output
        return m
    }

    /// Records a time measured some other way (a program's own figure, the runner's minute).
    func add(_ key: String, seconds: Double) {
        times[key, default: []].append(seconds)
    }

    func problem(_ text: String) {
        print("  ! " + text)
        problems.append(text)
    }

    /// The median of `key`'s times; 0 when nothing was recorded (a problem says why).
    func median(_ key: String) -> Double {
        guard let values = times[key]?.sorted(), !values.isEmpty else { return 0 }
        return values[values.count / 2]
    }

    func peak(_ key: String) -> Int { peaks[key] ?? 0 }

    /// What `key`'s last run printed.
    func output(_ key: String) -> String { outputs[key] ?? "" }
}
