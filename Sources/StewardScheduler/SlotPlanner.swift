import Foundation

/// Decides which of a schedule's slots to run now: the pure core of catch-up after downtime.
///
/// Given the last slot already dealt with (run or skipped; for a new schedule, its creation
/// time) and the current instant, a slot is **due** when its instant is after the last slot and
/// not after now. Of the due slots:
/// - `skip` runs the newest one only if it fell due within `grace` of now — the runner woke for
///   it, a little late at most — and skips everything else as missed.
/// - `latest` runs the newest one, however old, and skips the rest as missed.
/// - `all` runs the newest `cap` of them, oldest first, and skips older ones as over the cap.
///   Keeping the newest rather than the oldest means a long outage cannot leave the schedule
///   running ever-staler slots for hours; `cap` bounds the total, not a rate.
///
/// The runner records the runs and skips, then stores `SlotPlan.lastDue` as the new last slot,
/// so a restart neither repeats nor loses a slot, and sleeps until `SlotPlan.next`.
/// Cost is proportional to the number of due slots; memory is bounded by `cap`.
public struct SlotPlanner: Sendable {
    /// The most slots catch-up `all` runs at once: the same as the store's default for a
    /// schedule (`schedules.max_catch_up`, 24), so a day of hourly slots is caught up in full.
    public static let defaultCatchUpCap = 24
    /// How late a slot may be and still run under catch-up `skip`.
    public static let defaultSkipGrace: TimeInterval = 60

    public let schedule: CronSchedule
    public let catchUp: CatchUpPolicy
    public let cap: Int
    public let grace: TimeInterval

    /// - Parameters:
    ///   - cap: for `all`, the most slots to run (at least 1).
    ///   - grace: for `skip`, how long after its instant a slot still counts as "now" (≥ 0).
    public init(
        schedule: CronSchedule, catchUp: CatchUpPolicy,
        cap: Int = defaultCatchUpCap, grace: TimeInterval = defaultSkipGrace
    ) {
        precondition(cap >= 1, "the catch-up cap must allow at least one run")
        precondition(grace >= 0, "the skip grace cannot be negative")
        self.schedule = schedule
        self.catchUp = catchUp
        self.cap = cap
        self.grace = grace
    }

    /// The plan for `now`, given the last slot dealt with (or the schedule's creation time).
    public func plan(after lastSlot: Date, now: Date) -> SlotPlan {
        let keep = catchUp == .all ? cap : 1
        // The newest `keep` due slots, oldest first. Older ones are trimmed in batches so that
        // a long outage costs O(1) per slot whatever the cap.
        var newest: [CronSlot] = []
        var dropped = DroppedSlots()
        var next: CronSlot?

        for slot in schedule.slots(after: lastSlot) {
            guard slot.instant <= now else {
                next = slot
                break
            }
            newest.append(slot)
            if newest.count >= 2 * keep {
                dropped.add(newest[..<keep])
                newest.removeFirst(keep)
            }
        }
        if newest.count > keep {
            dropped.add(newest[..<(newest.count - keep)])
            newest.removeFirst(newest.count - keep)
        }

        let lastDue = newest.last
        var toRun = newest
        var skipped: [SkippedSlots] = []
        switch catchUp {
        case .skip:
            if let latest = newest.last, now.timeIntervalSince(latest.instant) > grace {
                dropped.add(newest[...])
                toRun = []
            }
            skipped = dropped.group(reason: .missedWhileDown(.skip))
        case .latest:
            skipped = dropped.group(reason: .missedWhileDown(.latest))
        case .all:
            skipped = dropped.group(reason: .overCatchUpCap)
        }
        return SlotPlan(toRun: toRun, skipped: skipped, lastDue: lastDue, next: next)
    }
}

/// Accumulates the slots a plan drops without keeping them all.
private struct DroppedSlots {
    var first: CronSlot?
    var last: CronSlot?
    var count = 0

    /// Adds slots newer than any added before.
    mutating func add(_ slots: ArraySlice<CronSlot>) {
        guard let newFirst = slots.first else { return }
        if first == nil { first = newFirst }
        last = slots.last
        count += slots.count
    }

    func group(reason: SkipReason) -> [SkippedSlots] {
        guard let first, let last else { return [] }
        return [SkippedSlots(first: first, last: last, count: count, reason: reason)]
    }
}
