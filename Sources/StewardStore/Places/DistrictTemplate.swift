/// A district's place tree as `steward init` lays it down: the district, its towns and
/// sub-districts, and a few communities and villages in each.
///
/// Codes follow the national statistical division codes' shape: the 6-digit region code, then
/// 3 digits for the town (001–099 sub-districts, 100–199 towns), then 3 for the community
/// (001–199 communities, 200– villages).
public struct DistrictTemplate: Sendable {
    public struct Town: Sendable {
        public let code: String
        public let name: String
        /// True for a sub-district (街道), false for a town (镇).
        public let isSubdistrict: Bool
        /// Communities (社区) and villages (村), with their codes.
        public let localities: [(code: String, name: String, isVillage: Bool)]
        /// Relative size: residents in ten-thousands, to spread demo people realistically.
        public let weight: Int
    }

    public let regionCode: String
    public let name: String
    public let towns: [Town]

    /// Jintan District (金坛区) of Changzhou, region code 320482, as the project models it.
    public static let jintan = DistrictTemplate(
        regionCode: "320482",
        name: "金坛区",
        towns: [
            town("001", "东城街道", subdistrict: true, weight: 9,
                 communities: ["东门社区", "华城社区", "南洲社区", "愚池社区"], villages: ["东浦村"]),
            town("002", "西城街道", subdistrict: true, weight: 8,
                 communities: ["西门社区", "城西社区", "丹阳门社区"], villages: ["东城村"]),
            town("003", "尧塘街道", subdistrict: true, weight: 5,
                 communities: ["尧塘社区", "谢桥社区"], villages: ["汤庄村", "东岗村"]),
            town("100", "金城镇", subdistrict: false, weight: 8,
                 communities: ["金城社区"], villages: ["后阳村", "河头村", "方边村"]),
            town("101", "儒林镇", subdistrict: false, weight: 5,
                 communities: ["儒林社区"], villages: ["五叶村", "湖头村", "长荡湖村"]),
            town("102", "指前镇", subdistrict: false, weight: 5,
                 communities: ["指前社区"], villages: ["建春村", "东浦村", "北干村"]),
            town("103", "朱林镇", subdistrict: false, weight: 4,
                 communities: ["朱林社区"], villages: ["唐王村", "三星村", "西岗村"]),
            town("104", "薛埠镇", subdistrict: false, weight: 6,
                 communities: ["薛埠社区"], villages: ["仙姑村", "上阳村", "方山村", "茅山村"]),
            town("105", "直溪镇", subdistrict: false, weight: 4,
                 communities: ["直溪社区"], villages: ["建昌村", "汀湖村", "巨村"]),
        ]
    )

    private static func town(
        _ suffix: String, _ name: String, subdistrict: Bool, weight: Int, communities: [String], villages: [String]
    ) -> Town {
        let townCode = "320482" + suffix
        var localities: [(code: String, name: String, isVillage: Bool)] = []
        for (index, community) in communities.enumerated() {
            localities.append((townCode + threeDigits(index + 1), community, false))
        }
        for (index, village) in villages.enumerated() {
            localities.append((townCode + threeDigits(200 + index + 1), village, true))
        }
        return Town(code: townCode, name: name, isSubdistrict: subdistrict, localities: localities, weight: weight)
    }

    private static func threeDigits(_ number: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: 3 - text.count) + text
    }
}
