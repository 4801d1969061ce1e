import ChildProcess
import Foundation
import StewardCore
import StewardStore

/// Job 4: many stored, approved scripts due in the same minute, run by one `steward runner
/// --once`: claim, a `steward worker` child per run, commit, history — everything a real
/// scheduled minute does. The stored scripts are set up once, in-process, into a template
/// database next to the demo dataset; each repetition runs on a fresh copy.
enum SchedulerBenchmark {
    /// The minute they are all due: 09:00 in Shanghai on the demo's today.
    static let dueAt = "2025-06-15T01:00:30Z"

    /// A small query and a few effects, different for each script.
    static func source(_ index: Int) -> String {
        """
        script { name = "tick-\(index)", title = "Benchmark follow-up \(index)", idempotent = true }
        local made = 0
        for person in members{ disability_grade = \(index % 4 + 1) }:order_by("id"):limit(3):each() do
          if remind{ subject = person, kind = "follow_up_\(index)", due = today() + days(7),
                     text = "回访 " .. person.name } then made = made + 1 end
        end
        report.summary{ reminders = made }
        """
    }

    /// Makes (once) `template`: a copy of `db` with `count` approved scripts scheduled daily at 09:00.
    static func prepare(db: String, template: String, count: Int) throws {
        if FileManager.default.fileExists(atPath: template) { return }
        let building = template + ".building"
        for suffix in ["", "-wal", "-shm"] { unlink(building + suffix) }
        try FileManager.default.copyItem(atPath: db, toPath: building)
        // In a scope of its own: the store closes (and SQLite checkpoints its WAL into the
        // file) before the file is moved, or the template would lack what was just written.
        do {
            let store = try Store.open(at: building, mode: .readWrite)
            let created = ISO8601DateFormatter().date(from: "2025-06-15T00:30:00Z")!
            for index in 1...count {
                let name = "tick-\(index)"
                try store.addScript(name: name, title: "Benchmark follow-up \(index)", source: source(index),
                                    author: "赵敏", at: created)
                try store.approveScript(name: name, approver: "张伟", at: created)
                try store.setSchedule(script: name, ScheduleSettings(cron: "0 9 * * *"), by: "赵敏", at: created)
            }
        }
        guard !FileManager.default.fileExists(atPath: building + "-wal") else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: building + "-wal (not checkpointed)"])
        }
        try FileManager.default.moveItem(atPath: building, toPath: template)
    }

    /// Runs the due minute on a fresh copy of `template`; returns the measurement and how
    /// many runs were committed (or why they could not be counted).
    static func measure(steward: String, template: String, copy: String) -> (ChildProcess.Measurement, Result<Int, Error>) {
        do { try JobDatasets.copyDatabase(template, to: copy) } catch {
            return (ChildProcess.Measurement(seconds: 0, peakBytes: 0, status: -1, output: "", errorOutput: "\(error)"), .failure(error))
        }
        let m = ChildProcess.measure([steward, "runner", "--once", "--now", dueAt, "--id", "bench", "--quiet",
                                      "--db", copy])
        let committed = Result {
            try Store.open(at: copy, mode: .readOnly).read {
                try $0.runHistory(RunHistoryFilter(status: "committed", limit: 1_000_000)).count
            }
        }
        return (m, committed)
    }
}
