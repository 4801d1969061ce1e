/// What a `SlotPlanner` decided for one moment.
public struct SlotPlan: Sendable, Hashable {
    /// Slots to run now, oldest first.
    public let toRun: [CronSlot]
    /// Due slots not to run, and why (at most one group per plan, since one policy applies).
    public let skipped: [SkippedSlots]
    /// The newest due slot, run or skipped: once the runs and skips are recorded, store its
    /// instant as the schedule's last slot. Nil when nothing was due.
    public let lastDue: CronSlot?
    /// The first slot after now: when the runner should wake next. Nil if there is none.
    public let next: CronSlot?

    public init(toRun: [CronSlot], skipped: [SkippedSlots], lastDue: CronSlot?, next: CronSlot?) {
        self.toRun = toRun
        self.skipped = skipped
        self.lastDue = lastDue
        self.next = next
    }

    /// How many slots were skipped in all.
    public var skippedCount: Int { skipped.reduce(0) { $0 + $1.count } }
}

/// Consecutive due slots skipped for one reason, given by their ends and count rather than one
/// by one, so a month of downtime on a `*/5` schedule is one entry, not 8,640.
/// `CronSchedule.slots(after:)` enumerates them if each needs a record.
public struct SkippedSlots: Sendable, Hashable, CustomStringConvertible {
    public let first: CronSlot
    public let last: CronSlot
    public let count: Int
    public let reason: SkipReason

    public init(first: CronSlot, last: CronSlot, count: Int, reason: SkipReason) {
        self.first = first
        self.last = last
        self.count = count
        self.reason = reason
    }

    /// E.g. `3 slots 2026-03-02T10:00 … 2026-03-02T12:00: missed while down, catch-up=skip`.
    public var description: String {
        count == 1
            ? "slot \(first.nominal): \(reason)"
            : "\(count) slots \(first.nominal) … \(last.nominal): \(reason)"
    }
}
