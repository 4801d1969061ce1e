/// Why a calendar date could not be made, parsed or moved.
public enum CivilDateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The year, month and day do not name a real day (`2025-02-29`, `2025-13-01`).
    case invalidDate(year: Int, month: Int, day: Int)
    /// The text is not a date in `YYYY-MM-DD` or `YYYYMMDD` form.
    case unparseable(String)
    /// The result would fall outside the supported years 1–9999.
    case outOfRange(String)

    public var description: String {
        switch self {
        case .invalidDate(let year, let month, let day):
            return "\(CivilDate.pad(year, 4))-\(CivilDate.pad(month, 2))-\(CivilDate.pad(day, 2)) is not a real calendar date."
        case .unparseable(let text):
            return "'\(text)' is not a date: expected YYYY-MM-DD (2025-03-01) or YYYYMMDD (20250301)."
        case .outOfRange(let what):
            return "\(what) falls outside the supported years 1 to 9999."
        }
    }
}
