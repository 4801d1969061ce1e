import ChildProcess
import Foundation
import LuaRuntime
import StewardCore
import StewardScheduler
import StewardScripting
import StewardStore

/// Runs a scheduled slot the way DESIGN.md asks of long-lived processes: the script's Lua runs
/// in a `steward worker` child (database read-only, resource limits, killed at a hard
/// deadline), which hands back what it proposes; this process — the parent — alone commits,
/// as the approved version's author's delegate within the author's scope, and records the run.
/// A crash, a hang in C or a kill at the deadline is a failed run with its reason.
struct WorkerExecutor: RunExecutor {
    let store: Store
    let databasePath: String
    let limits: LuaLimits
    /// Beyond the Lua time limit, before the worker is killed (the soft limit and the worker's
    /// own watchdog come first).
    let hardDeadlineSlack: TimeInterval
    let shutdown: RunnerShutdown
    let grace: TimeInterval
    let heartbeatInterval: TimeInterval
    /// The serving workers runs go to (see ``ScheduledWorkers``).
    let workers: ScheduledWorkers

    func execute(_ job: RunJob) async -> RunVerdict {
        await withCheckedContinuation { continuation in
            // A thread of its own: the run blocks for as long as the worker takes.
            Thread.detachNewThread {
                continuation.resume(returning: self.executeBlocking(job))
            }
        }
    }

    func executeBlocking(_ job: RunJob) -> RunVerdict {
        let scheduled: ScheduledScript
        do {
            guard let found = try store.read({ try $0.scheduledScript(scheduleID: job.schedule.id) }) else {
                return .notRunnable(reason: "the schedule's script has no stored version")
            }
            scheduled = found
        } catch {
            return .failed(reason: "could not read the schedule's script: \(error)", idempotent: false)
        }
        let version = scheduled.version
        let name = scheduled.schedule.scriptName
        guard version.sha256 == SHA256.hex(version.source) else {
            return .notRunnable(reason: "version \(version.version) of '\(name)' does not match its recorded hash: not run")
        }
        guard version.isApproved else {
            return .notRunnable(reason: "version \(version.version) of '\(name)' (by \(version.author)) is not approved: steward scripts approve \(name) --version \(version.version)")
        }
        let author = scheduled.author
        guard !author.disabled else {
            return .notRunnable(reason: "the author of version \(version.version), \(author.name), is disabled: runs act as the author")
        }
        guard author.role.allows(.commit) || !scheduled.schedule.commit else {
            return .notRunnable(reason: "the author of version \(version.version), \(author.name), is a \(author.role.rawValue) and may not commit runs")
        }
        let actor = RunActor(userName: author.name, role: author.role, scopePlaceCode: author.scopePlaceCode,
                             isDistrictScope: scheduled.authorHasDistrictScope, canUnmask: author.canUnmask)
        let nominal = job.slot.nominal
        let today = (try? CivilDate(year: nominal.year, month: nominal.month, day: nominal.day)) ?? CivilDate(job.slot.instant)
        let timeoutMs = limits.timeout.map { $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000 } ?? 10_000
        let request = WorkerRequest(
            source: version.source, name: name, memoryBytes: limits.memoryBytes, instructions: limits.instructions,
            timeoutMs: timeoutMs, outputBytes: limits.outputBytes,
            database: WorkerDatabaseRun(
                path: databasePath, userName: author.name, role: author.role.rawValue, scopePlaceCode: author.scopePlaceCode,
                isDistrictScope: scheduled.authorHasDistrictScope, canUnmask: author.canUnmask, today: today.iso,
                slot: job.slot.instant, slotText: job.slotText, parameters: scheduled.schedule.parameters,
                commit: scheduled.schedule.commit))
        var submission = RunSubmission(
            userName: author.name, scriptName: name, scriptSHA256: version.sha256, scriptVersion: version.version,
            trigger: .schedule, parameters: scheduled.schedule.parameters, startedAt: job.startedAt,
            finishedAt: job.startedAt, scheduleID: job.schedule.id, slotID: job.slotID, slotAt: job.slot.instant,
            runnerID: job.runnerID)

        let deadline = Double(timeoutMs) / 1000 + hardDeadlineSlack
        let result: ScheduledWorkers.Result
        do {
            result = try workers.run(
                input: try JSONEncoder().encode(request), deadline: deadline, shutdown: shutdown,
                grace: grace, heartbeatEvery: heartbeatInterval, keepAlive: job.keepAlive)
        } catch {
            return record(&submission, .crashed, "the worker process could not be started: \(error)", idempotent: false)
        }
        submission.finishedAt = job.startedAt + result.elapsed
        let stderrLine = String(decoding: result.errorOutput, as: UTF8.self).split(separator: "\n").first.map(String.init)
        switch result.outcome {
        case .killedAtShutdown:
            let reason = "the runner was stopped and the run did not finish within its \(Self.seconds(grace)) grace period; the worker was killed and nothing was written"
            _ = record(&submission, .abandoned, reason, idempotent: false)
            return .interrupted(reason: reason)
        case .killedAtDeadline:
            return record(&submission, .timedOut, "the worker was still running at its hard deadline (\(Self.seconds(deadline))) and was killed (stuck in C code?); nothing was written", idempotent: false)
        case .unreadable(let reason):
            return record(&submission, .crashed, "the worker's reply could not be read (\(reason)); the worker was replaced and nothing was written", idempotent: false)
        case .signalled(let signal):
            return record(&submission, .crashed, "the worker process died of \(ChildProcess.signalName(signal))\(signal == SIGSEGV ? ": the Lua library crashed" : ""); nothing was written", idempotent: false)
        case .exited(3) where result.output.isEmpty:
            return record(&submission, .timedOut, "the script was stuck past its time limit where hooks cannot stop it (in C code) and the worker's watchdog ended it; nothing was written", idempotent: false)
        case .exited(let code) where code != 0:
            return record(&submission, .crashed, "the worker process exited with code \(code)\(stderrLine.map { ": \($0)" } ?? ""); nothing was written", idempotent: false)
        case .exited:
            break
        }
        let report: RunReport
        do {
            report = try JSONDecoder().decode(RunReport.self, from: result.output)
        } catch {
            return record(&submission, .crashed, "the worker's report could not be read (\(error)); nothing was written", idempotent: false)
        }
        submission.output = report.output
        let idempotent = report.header?.idempotent ?? false
        guard report.status == .ok else {
            var message = report.error?.message ?? report.status.rawValue
            if report.status == .limitExceeded { message = "\(name): \(message)" }
            if !report.violations.isEmpty { message += "\n" + report.violations.joined(separator: "\n") }
            let status: StoredRunStatus = report.error?.kind == "limit.time" ? .timedOut
                : report.status == .refused ? .refused : report.status == .crashed ? .crashed : .failed
            return record(&submission, status, message, effects: ChangeSet(report.effects), idempotent: idempotent)
        }
        guard scheduled.schedule.commit else {
            return record(&submission, .previewed, nil, effects: ChangeSet(report.effects), idempotent: idempotent)
        }
        let changeSet = ChangeSet(report.effects)
        do {
            try store.apply(changeSet, run: submission, actor: actor.actorScope, at: submission.finishedAt)
            return .succeeded
        } catch let refused as ChangeSetRefused {
            let message = "the commit was refused; nothing was written\n"
                + refused.violations.map { "effect #\($0.effectIndex + 1): \($0)" }.joined(separator: "\n")
            return record(&submission, .refused, message, effects: changeSet, idempotent: idempotent)
        } catch is ChangeSetHeldForApproval {
            // Above the approval threshold: the store kept the change set as this slot's run,
            // pending approval, and committed that before throwing — the slot did its work.
            // Told by the error's type, not by looking the run up in the history afterwards: a
            // history that could not be read (its error dropped), or with 20 pending runs newer
            // than this one (the look-up's limit), made a held run a failure recorded as a
            // second, failed run of the slot.
            return .succeeded
        } catch {
            return record(&submission, .failed, "the commit failed: \(error); nothing was written", effects: changeSet,
                          idempotent: idempotent)
        }
    }

    /// Records a run that did not commit, and says how it failed.
    private func record(_ submission: inout RunSubmission, _ status: StoredRunStatus, _ error: String?,
                        effects: ChangeSet = ChangeSet(), idempotent: Bool) -> RunVerdict {
        var reason = error ?? status.rawValue
        do {
            try store.recordRun(submission, status: status, effects: effects, error: error)
        } catch {
            reason += " (and the run could not be recorded: \(error))"
        }
        return status == .previewed ? .succeeded : .failed(reason: reason, idempotent: idempotent)
    }

    static func seconds(_ interval: TimeInterval) -> String {
        interval == interval.rounded() ? "\(Int(interval)) s" : String(format: "%.1f s", interval)
    }
}
