import Foundation
import Testing
@testable import StewardScheduler
import TestRandom

/// Bad input everywhere, for cron expressions: random text and mutated valid expressions.
/// Parsing either succeeds or throws a `CronSyntaxError` whose position lies inside the text
/// and whose message names the problem; it never crashes, and inputs are bounded, so a hang
/// shows up as this suite not finishing. What parses must be sane: its normalised text parses
/// to the same expression, and its next slots lie strictly ahead, match it and keep increasing
/// (or are absent, exactly when no date can ever match). Whether the next slot is the *first*
/// match is `CronScheduleCrossCheckTests`' job, not repeated here.
@Suite("Fuzz: cron expressions")
struct CronParserFuzzTests {
    static let zones = ["Asia/Shanghai", "UTC", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham"]

    /// Parses `text` and checks everything the suite promises; the first broken rule, if any.
    static func check(_ text: String, _ random: inout SplitMix64) -> (parsed: CronExpression?, problem: String?) {
        let expression: CronExpression
        do {
            expression = try CronExpression(text)
        } catch {
            let length = text.count
            guard (1...max(1, length + 1)).contains(error.position) else {
                return (nil, "error position \(error.position) outside 1...\(length + 1): \(error)")
            }
            guard !error.description.isEmpty, !error.reason.isEmpty else { return (nil, "an empty error message") }
            return (nil, nil)
        }
        // The normalised text means the same.
        guard let again = try? CronExpression(expression.description), again == expression else {
            return (expression, "normalised text '\(expression.description)' does not parse back to the same expression")
        }
        for field in CronExpression.Field.allCases {
            let values = expression.allowedValues(field)
            let range = field == .dayOfWeek ? 0...6 : field.range
            guard !values.isEmpty, values.allSatisfy(range.contains), values == values.sorted() else {
                return (expression, "\(field) allows \(values)")
            }
        }

        let zone = TimeZone(identifier: random.pick(zones))!
        let schedule = CronSchedule(expression, timeZone: zone)
        let from = Date(timeIntervalSince1970: Double(random.int(0...4_102_444_800)) + Double(random.int(0...59)) / 60)
        let slots = schedule.nextSlots(after: from, count: 3)
        if slots.isEmpty {
            return Self.canNeverMatch(expression) ? (expression, nil)
                : (expression, "no slot after \(from) in \(zone.identifier), though some date can match")
        }
        if Self.canNeverMatch(expression) { return (expression, "a slot \(slots[0]) for an expression no date can match") }
        var previous = from
        for slot in slots {
            guard slot.instant > previous else { return (expression, "slot \(slot) is not after \(previous)") }
            guard expression.matches(slot.nominal) else { return (expression, "slot \(slot) does not match") }
            guard slot.instant.timeIntervalSince(from) < 401 * 366 * 86_400 else { return (expression, "slot \(slot) too far") }
            // In zones without daylight saving the nominal time is the wall clock's.
            if ["Asia/Shanghai", "UTC"].contains(zone.identifier), schedule.localTime(at: slot.instant) != slot.nominal {
                return (expression, "slot \(slot) is shown as \(schedule.localTime(at: slot.instant)) on the wall clock")
            }
            previous = slot.instant
        }
        return (expression, nil)
    }

    /// No date matches: the day of month must match (the other day field is `*`) and no
    /// allowed month is long enough for the first allowed day (29 February counts).
    static func canNeverMatch(_ expression: CronExpression) -> Bool {
        guard expression.dayOfMonthIsStar || expression.dayOfWeekIsStar,
              let first = expression.allowedValues(.dayOfMonth).first else { return false }
        let longest = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return expression.allowedValues(.month).allSatisfy { longest[$0] < first }
    }

    /// A valid expression of every shape the grammar allows.
    static func validExpression(_ random: inout SplitMix64) -> String {
        if random.chance(8) { return random.pick(Array(CronExpression.names.keys)) }
        func field(_ range: ClosedRange<Int>, names: [String] = []) -> String {
            func value() -> String {
                !names.isEmpty && random.chance(30) ? random.pick(names) : String(random.int(range))
            }
            func item() -> String {
                switch random.int(0...6) {
                case 0: return "*"
                case 1: return "*/\(random.int(1...70))"
                case 2:
                    let low = random.int(range), high = random.int(low...range.upperBound)
                    return "\(low)-\(high)" + (random.chance(40) ? "/\(random.int(1...9))" : "")
                case 3: return "\(value())/\(random.int(1...30))"
                default: return value()
                }
            }
            return (0..<random.int(1...3)).map { _ in item() }.joined(separator: ",")
        }
        return [field(0...59), field(0...23), field(1...31),
                field(1...12, names: ["JAN", "feb", "Mar", "DEC"]), field(0...7, names: ["SUN", "mon", "Sat"])]
            .joined(separator: random.pick([" ", "  ", "\t", " \u{3000}"]))
    }

    /// Damages `text` in one of the ways people and tools do.
    static func mutate(_ text: String, _ random: inout SplitMix64) -> String {
        var chars = Array(text)
        let pieces: [String] = ["*", "/", "-", ",", " ", "0", "9", "60", "24", "32", "13", "8", "@", "?", "L", "W", "#",
                                "99999999999999999999999", "9223372036854775807", "-1", "١٢", "½", "Ⅻ", "\u{0}", "\n",
                                "\u{200B}", "\u{301}", "JANUARY", "mon", "😀", "*/0", "/", "--", ",,"]
        switch random.int(0...6) {
        case 0 where !chars.isEmpty: chars.remove(at: random.int(0...(chars.count - 1)))
        case 1: chars.insert(contentsOf: random.pick(pieces), at: random.int(0...chars.count))
        case 2 where !chars.isEmpty: chars[random.int(0...(chars.count - 1))] = random.pick(Array("*/-,0123456789 xX@"))
        case 3:
            var fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
            if !fields.isEmpty { fields.insert(fields[random.int(0...(fields.count - 1))], at: random.int(0...fields.count)) }
            return fields.joined(separator: " ")
        case 4:
            let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
            return fields.shuffled(using: &random).joined(separator: " ")
        case 5: return String(chars.prefix(random.int(0...chars.count)))
        default: chars.insert(contentsOf: String(repeating: random.pick(["1,", "*/1,", "0-59,"]), count: random.int(1...40)),
                              at: 0)
        }
        return String(chars)
    }

    @Test("random text parses or is refused with a positioned error; what parses is sane")
    func randomText() {
        let alphabet: [Character] = Array("0123456789*/-, \t@abcdefhilmnorstuwyADEFJMNOSTUW#?L") + ["\u{3000}", "١", "😀", "\u{0}", "\u{301}"]
        var parsed = 0
        for seed in Fuzz.seeds(base: 0xC407_0000, short: 4000, long: 100_000) {
            var random = SplitMix64(seed: seed)
            let text = random.chance(50)
                ? String((0..<random.int(0...40)).map { _ in random.pick(alphabet) })
                : (0..<random.int(0...7)).map { _ in
                    String((0..<random.int(1...4)).map { _ in random.pick(Array("0123456789*/-,")) })
                }.joined(separator: " ")
            let (expression, problem) = Self.check(text, &random)
            if expression != nil { parsed += 1 }
            if let problem { Issue.record("\(Fuzz.name(seed)): '\(text.debugDescription)': \(problem)") }
        }
        #expect(parsed > 0, "random text never parsed")
    }

    @Test("mutated valid expressions parse or are refused with a positioned error; what parses is sane")
    func mutatedExpressions() {
        var outcomes = [0, 0]
        for seed in Fuzz.seeds(base: 0xC407_1000, short: 3000, long: 60_000) {
            var random = SplitMix64(seed: seed)
            let valid = Self.validExpression(&random)
            let (original, originalProblem) = Self.check(valid, &random)
            if original == nil || originalProblem != nil {
                Issue.record("\(Fuzz.name(seed)): valid '\(valid)': \(originalProblem ?? "refused")")
                continue
            }
            var text = valid
            for _ in 0..<random.int(1...3) { text = Self.mutate(text, &random) }
            let (expression, problem) = Self.check(text, &random)
            outcomes[expression == nil ? 0 : 1] += 1
            if let problem { Issue.record("\(Fuzz.name(seed)): '\(text.debugDescription)' (from '\(valid)'): \(problem)") }
        }
        #expect(outcomes[0] > 0 && outcomes[1] > 0, "refused/parsed: \(outcomes)")
    }

    @Test("time zone names from anywhere are a zone or UnknownTimeZoneError")
    func zoneNames() throws {
        let expression = try CronExpression("0 9 * * *")
        let names = ["", "Asia/Shanghai", "asia/shanghai", "Asia/Shanghai\u{0}", "../../../../etc/passwd", "/etc/localtime",
                     "UTC+8", "GMT+8", "Etc/GMT-14", String(repeating: "A/", count: 500), "Asia/上海", "😀", " UTC"]
        for name in names {
            do {
                let schedule = try CronSchedule(expression, timeZoneIdentifier: name)
                #expect(schedule.nextSlot(after: Date(timeIntervalSince1970: 0)) != nil, "'\(name.debugDescription)'")
            } catch {
                #expect(error.identifier == name)
            }
        }
    }

    /// `Corpus/cron/`: one expression per file, kept because it once mattered — huge steps,
    /// impossible dates, odd whitespace and digits. `ok-*` must parse, `bad-*` must not.
    @Test("the corpus of kept expressions")
    func corpus() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/cron")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".cron") }.sorted()
        #expect(names.count >= 10, "corpus files in \(directory.path)")
        var random = SplitMix64(seed: 0xC407_2000)
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            let (expression, problem) = Self.check(text, &random)
            if let problem { Issue.record("\(name): \(problem)") }
            if name.hasPrefix("ok-") { #expect(expression != nil, "\(name) was refused") }
            if name.hasPrefix("bad-") { #expect(expression == nil, "\(name) parsed") }
        }
    }
}
