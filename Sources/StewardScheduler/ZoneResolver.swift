import Foundation

/// Turns a wall-clock time in one zone into instants, saying when it is ambiguous or missing.
///
/// Only offsets are asked of Foundation (`TimeZone.secondsFromGMT(for:)`, ≈ 150 ns); which
/// instants carry a given wall time is worked out here, because Foundation's own matching
/// (`Calendar.nextDate(…, matchingPolicy: .strict)`) silently drops wall times that do not exist.
/// Times are whole seconds since 1970 (instants) or "seconds since 1970 on the wall clock"
/// (wall times).
struct ZoneResolver: Sendable, Hashable {
    let zone: TimeZone

    enum Resolution: Equatable {
        /// The wall time occurs once, at this instant.
        case unique(Int64)
        /// The wall time occurs twice (clocks went back); `first` is the earlier instant.
        case repeated(first: Int64, second: Int64)
        /// The wall time never occurs (clocks went forward over it). `end` is the instant the
        /// gap ends, whose wall time `endWall` is the first valid wall time after it.
        case gap(end: Int64, endWall: Int64)
    }

    func offset(at instant: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }

    /// The wall time at an instant.
    func wall(at instant: Int64) -> Int64 {
        instant + offset(at: instant)
    }

    /// A span of instants over which the offset is known not to change.
    struct SteadySpan: Sendable, Hashable {
        var from: Int64
        var through: Int64
        var offset: Int64
    }

    /// Offsets lie within −12 h…+14 h, so every instant that shows a wall time `w` lies in
    /// `w − 14 h … w + 12 h`.
    private static let earliestShowing: Int64 = 14 * 3600
    private static let latestShowing: Int64 = 12 * 3600

    /// Resolves a wall time, reusing and refreshing `span` so that walking forward through
    /// wall times asks the zone for offsets only about once a day.
    func resolve(wall: Int64, span: inout SteadySpan?) -> Resolution {
        if let known = span,
           known.from <= wall - Self.earliestShowing, wall + Self.latestShowing <= known.through {
            return .unique(wall - known.offset)
        }
        // Every instant showing this wall time lies within a day of it, so the offsets in force
        // a day either side are the candidates. Real zones never change offset twice within two
        // days, so equal offsets there mean no change in between; the offsets at the candidate
        // instants themselves are added so that even such a zone would be resolved correctly.
        let before = offset(at: wall - 86_400)
        let after = offset(at: wall + 86_400)
        if before == after, offset(at: wall - before) == before {
            span = SteadySpan(from: wall - 86_400, through: wall + 86_400, offset: before)
            return .unique(wall - before)
        }
        return resolveNearChange(wall: wall, before: before, after: after)
    }

    func resolve(wall: Int64) -> Resolution {
        var span: SteadySpan?
        return resolve(wall: wall, span: &span)
    }

    private func resolveNearChange(wall: Int64, before: Int64, after: Int64) -> Resolution {
        var candidates: Set<Int64> = [before, after]
        candidates.insert(offset(at: wall - before))
        candidates.insert(offset(at: wall - after))
        let valid = candidates.map { wall - $0 }.filter { self.offset(at: $0) == wall - $0 }.sorted()

        switch valid.count {
        case 0:
            return gapEnd(containing: wall, offsets: candidates)
        case 1:
            return .unique(valid[0])
        default:
            return .repeated(first: valid[0], second: valid[valid.count - 1])
        }
    }

    /// The first instant whose wall time is past `wall`, found by bisection between the
    /// instants the smallest and largest candidate offsets would give. Across a gap the wall
    /// time rises with the instant, so bisection is sound; it takes about a dozen steps.
    private func gapEnd(containing wall: Int64, offsets: Set<Int64>) -> Resolution {
        var low = wall - offsets.max()! - 1  // wall(low) < wall
        var high = wall - offsets.min()! + 1  // wall(high) > wall
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if self.wall(at: middle) > wall { high = middle } else { low = middle }
        }
        return .gap(end: high, endWall: self.wall(at: high))
    }
}
