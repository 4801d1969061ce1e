import Foundation

/// The slots of a schedule after some instant: a lazy sequence, oldest first.
public struct CronSlots: Sequence, Sendable {
    let expression: CronExpression
    let resolver: ZoneResolver
    let after: Date

    public func makeIterator() -> Iterator {
        let seconds = Int64(after.timeIntervalSince1970.rounded(.down))
        // Local minutes at or before the wall time of `after` map to instants at or before it
        // (the conversion never runs backwards), so the walk can start just past that minute.
        let startMinute = resolver.wall(at: seconds).floorDivided(by: 60)
        return Iterator(expression: expression, resolver: resolver,
                        cursor: LocalDateTime(minutesSinceEpoch: startMinute),
                        lastInstant: seconds)
    }

    public struct Iterator: IteratorProtocol, Sendable {
        let expression: CronExpression
        let resolver: ZoneResolver
        /// The last local minute considered; the next candidate is strictly after it.
        var cursor: LocalDateTime
        /// Slots must come strictly after this instant (whole seconds since 1970).
        var lastInstant: Int64
        /// Where the zone's offset is known to be steady, so most slots need no offset lookup.
        var steadySpan: ZoneResolver.SteadySpan?

        init(expression: CronExpression, resolver: ZoneResolver, cursor: LocalDateTime, lastInstant: Int64) {
            self.expression = expression
            self.resolver = resolver
            self.cursor = cursor
            self.lastInstant = lastInstant
        }

        public mutating func next() -> CronSlot? {
            while let local = expression.nextMatch(after: cursor) {
                cursor = local
                let instant: Int64
                switch resolver.resolve(wall: local.minutesSinceEpoch * 60, span: &steadySpan) {
                case .unique(let at), .repeated(first: let at, second: _):
                    instant = at
                case .gap(let end, let endWall):
                    guard expression.isFixedTime else {
                        // No minute of the gap passes on the clock: resume at its end.
                        let lastGapMinute = (endWall - 1).floorDivided(by: 60)
                        if lastGapMinute > cursor.minutesSinceEpoch {
                            cursor = LocalDateTime(minutesSinceEpoch: lastGapMinute)
                        }
                        continue
                    }
                    instant = end
                }
                // Not after the last instant: a repeated minute's first occurrence that lies
                // before where we started, or a second nominal time on a gap's end instant.
                guard instant > lastInstant else { continue }
                lastInstant = instant
                return CronSlot(nominal: local,
                                instant: Date(timeIntervalSince1970: TimeInterval(instant)))
            }
            return nil
        }
    }
}
