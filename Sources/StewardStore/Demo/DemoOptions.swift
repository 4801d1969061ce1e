import Foundation
import StewardCore

/// What `steward demo` builds.
public struct DemoOptions: Sendable {
    /// Residents to generate (default 20,000; Jintan itself has about 540,000).
    public var members: Int
    /// The same seed gives the same database, row for row.
    public var seed: UInt64
    /// The demo's "today": ages, certificate expiries, quarter usage and inspection dates are
    /// laid out around it. Default 2025-06-15, so that scripts and their tests agree on what
    /// is due without depending on the real date.
    public var today: CivilDate
    /// The operating-system account that becomes the first admin.
    public var adminAccount: String
    /// Called with (members written, members to write) as generation proceeds.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public static let defaultToday = try! CivilDate(year: 2025, month: 6, day: 15)

    public init(members: Int = 20_000, seed: UInt64 = 1, today: CivilDate = DemoOptions.defaultToday,
                adminAccount: String, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.members = members
        self.seed = seed
        self.today = today
        self.adminAccount = adminAccount
        self.progress = progress
    }
}

/// What the demo wrote, for the CLI's summary.
public struct DemoSummary: Sendable, Hashable {
    public var members = 0
    public var certifiedDisabled = 0
    public var certificatesExpiringWithin30Days = 0
    public var unionCards = 0
    public var modelWorkers = 0
    public var newFormWorkers = 0
    public var elderly80Plus = 0
    public var students = 0
    public var rehabChildren = 0
    public var welfarePosts = 0
    public var loans = 0
    /// Hospital stays of union members (tags `hospital-stay:DATE:DAYS`).
    public var hospitalStays = 0
    /// Temporary-relief applications (tags `relief-request:DATE:YUAN`).
    public var reliefRequests = 0
    /// People waiting for a sheltered-care or star-workshop place.
    public var waiting = 0
    public var facilities = 0
    public var programmes = 0
    public var budgets = 0
}
