/// Chinese personal names for demo data: a surname drawn by its frequency, then one or two
/// given-name characters drawn from pools that lean male or female.
enum ChineseNames {
    /// Common surnames with weights in ten-thousandths of the population, after the national
    /// frequency lists, nudged towards southern Jiangsu (more 王, 陈, 徐, 朱, 蒋, 汤 and 于;
    /// fewer of the northern and southern clan names).
    static let surnames = WeightedTable<String>([
        ("王", 780), ("张", 640), ("陈", 620), ("李", 560), ("刘", 420), ("徐", 300), ("朱", 260),
        ("杨", 240), ("周", 230), ("吴", 220), ("孙", 190), ("黄", 160), ("赵", 150), ("蒋", 150),
        ("汤", 120), ("马", 110), ("胡", 110), ("钱", 100), ("高", 100), ("潘", 95), ("沈", 95),
        ("顾", 90), ("许", 90), ("于", 85), ("史", 80), ("袁", 80), ("曹", 75), ("丁", 75),
        ("彭", 70), ("储", 70), ("邵", 70), ("戴", 68), ("冯", 66), ("谢", 64), ("韩", 62),
        ("唐", 62), ("郭", 60), ("何", 58), ("殷", 55), ("姚", 55), ("虞", 52), ("葛", 50),
        ("宋", 50), ("陆", 50), ("范", 48), ("钟", 45), ("施", 45), ("严", 44), ("吕", 43),
        ("倪", 42), ("任", 40), ("万", 40), ("邹", 40), ("卢", 38), ("蔡", 38), ("贺", 36),
        ("余", 36), ("洪", 34), ("魏", 34), ("俞", 32), ("秦", 32), ("冷", 30), ("林", 30),
        ("罗", 30), ("梁", 28), ("宗", 28), ("路", 26), ("芮", 26), ("诸", 24), ("郑", 24),
        ("欧阳", 6), ("司马", 3), ("诸葛", 2), ("上官", 2),
    ])

    /// Given-name characters, in three pools: shared, leaning male, leaning female.
    static let shared = Array("文明华建国平志云春晓海永新立佳子宇浩一晨欣宁安嘉阳")
    static let male = Array("伟强军勇杰磊涛斌俊峰刚辉鹏超亮波宏林飞斌毅龙鑫浩然轩博")
    static let female = Array("芳娟敏静丽艳霞燕玲红梅琳婷雪慧颖洁萍琴兰凤娜倩怡璐萱")

    /// A name for someone of the given sex; about a third of given names are one character.
    static func name(male isMale: Bool, _ generator: inout SeededGenerator) -> String {
        var name = surnames.pick(&generator)
        let pool = isMale ? male : female
        let length = generator.below(3) == 0 ? 1 : 2
        for position in 0..<length {
            // The first character comes from the shared pool half the time, the last never:
            // the last character is what marks a name as a man's or a woman's.
            if position == 0 && length == 2 && generator.below(2) == 0 {
                name.append(shared[generator.below(shared.count)])
            } else {
                name.append(pool[generator.below(pool.count)])
            }
        }
        return name
    }
}
