/// A household's official hardship status. The three are separate registers kept by civil
/// affairs and the poverty office, and a household may be on several, so they are three flags.
public struct HouseholdFlags: Sendable, Hashable, Codable {
    /// 低保: receives the minimum living allowance.
    public var minimumLivingAllowance: Bool
    /// 特困: extreme hardship (特困供养) support.
    public var extremeHardship: Bool
    /// 建档立卡: registered poor household.
    public var registeredPoor: Bool

    public init(minimumLivingAllowance: Bool = false, extremeHardship: Bool = false, registeredPoor: Bool = false) {
        self.minimumLivingAllowance = minimumLivingAllowance
        self.extremeHardship = extremeHardship
        self.registeredPoor = registeredPoor
    }

    /// No flag set.
    public static let none = HouseholdFlags()

    /// True when any of the three flags is set: "a family in hardship" in programme rules.
    public var isInHardship: Bool {
        minimumLivingAllowance || extremeHardship || registeredPoor
    }

    /// The Chinese labels of the flags that are set, in a fixed order: 低保, 特困, 建档立卡.
    public var chineseLabels: [String] {
        var labels: [String] = []
        if minimumLivingAllowance { labels.append("低保") }
        if extremeHardship { labels.append("特困") }
        if registeredPoor { labels.append("建档立卡") }
        return labels
    }
}
