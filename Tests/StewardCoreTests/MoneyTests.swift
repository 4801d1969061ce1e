import Foundation
import Testing
import StewardCore

@Suite("Money")
struct MoneyTests {
    @Test("parses the accepted forms exactly", arguments: [
        ("1234.56", Int64(123_456)),
        ("¥1,234.56", 123_456),
        ("1234", 123_400),
        ("-12.5", -1_250),
        ("1,234", 123_400),
        ("1,234,567.89", 123_456_789),
        ("  ¥0.05 ", 5),
        ("-¥1,234.56", -123_456),
        ("¥-1,234.56", -123_456),
        ("+7", 700),
        ("￥88", 8_800),
        ("¥ 1,234.56", 123_456),
        ("- ¥ 5", -500),
        ("１２３", 12_300),
        ("１，２３４．５", 123_450),
        ("0", 0),
        ("92233720368547758.07", Int64.max),
        ("-92233720368547758.08", Int64.min),
    ])
    func parsesAcceptedForms(text: String, fen: Int64) throws {
        #expect(try Money.parse(text) == Money(fen: fen))
    }

    @Test("rejects bad text with the exact error", arguments: [
        ("12.345", MoneyError.tooManyDecimals("12.345")),
        ("abc", .notANumber("abc")),
        ("", .empty),
        ("   ", .empty),
        ("1,23", .misplacedGrouping("1,23")),
        ("1234,567", .misplacedGrouping("1234,567")),
        (",123", .misplacedGrouping(",123")),
        ("12.", .notANumber("12.")),
        (".5", .notANumber(".5")),
        ("1.2.3", .notANumber("1.2.3")),
        ("--5", .notANumber("--5")),
        ("¥", .notANumber("¥")),
        ("5元", .notANumber("5元")),
        ("1e5", .notANumber("1e5")),
        ("1 234", .notANumber("1 234")),
        ("92233720368547758.08", .outOfRange("92233720368547758.08")),
        ("99999999999999999999999", .outOfRange("99999999999999999999999")),
    ])
    func rejectsBadText(text: String, error: MoneyError) {
        #expect(throws: error) { try Money.parse(text) }
    }

    @Test func errorDescriptionsNameTheText() {
        #expect(MoneyError.tooManyDecimals("12.345").description
            == "'12.345' has more than two decimal places: money is exact to the fen (0.01 yuan).")
        #expect(MoneyError.notANumber("abc").description
            == "'abc' is not an amount of money: expected digits such as 1234.56 or ¥1,234.56.")
        #expect(MoneyError.misplacedGrouping("1,23").description
            == "'1,23' has misplaced thousands separators: write 1,234 or 1234.")
        #expect(MoneyError.outOfRange("1e30").description
            == "'1e30' is too large an amount of money to be represented exactly.")
        #expect(MoneyError.empty.description == "An amount of money is required, but the text is empty.")
    }

    @Test("formats with symbol and grouping", arguments: [
        (Int64(123_456), "¥1,234.56"),
        (-123_456, "-¥1,234.56"),
        (0, "¥0.00"),
        (5, "¥0.05"),
        (-5, "-¥0.05"),
        (100, "¥1.00"),
        (300_000_000, "¥3,000,000.00"),
        (99_999, "¥999.99"),
        (Int64.min, "-¥92,233,720,368,547,758.08"),
    ])
    func formats(fen: Int64, text: String) {
        #expect(Money(fen: fen).description == text)
    }

    @Test func plainAndRoundTrip() throws {
        #expect(Money(fen: -123_450).plainYuan == "-1234.50")
        #expect(Money(fen: 123_456).formatted(currencySymbol: false) == "1,234.56")
        for fen: Int64 in [0, 1, -1, 99, 100_001, Int64.max, Int64.min] {
            #expect(try Money.parse(Money(fen: fen).description) == Money(fen: fen))
            #expect(Money(Money(fen: fen).plainYuan) == Money(fen: fen))
        }
    }

    @Test func constructors() throws {
        #expect(try Money.yuan(5000) == Money(fen: 500_000))
        #expect(Money.fen(42).fen == 42)
        #expect(try Money.yuan(12, fen: 34) == Money(fen: 1_234))
        #expect(throws: MoneyError.overflow(operation: "92233720368547759 yuan in fen")) {
            try Money.yuan(92_233_720_368_547_759)
        }
    }

    @Test func checkedArithmetic() throws {
        let a = try Money.parse("1,200.00"), b = try Money.parse("2,000.00")
        #expect(try a + b == Money(fen: 320_000))
        #expect(try a - b == Money(fen: -80_000))
        #expect(try a * 3 == Money(fen: 360_000))
        #expect(try 3 * a == Money(fen: 360_000))
        #expect(try Money.sum([a, b, a]) == Money(fen: 440_000))
        #expect(a < b && b > a && a != b)
        #expect(try Money(fen: -5).negated() == Money(fen: 5))
        #expect(try Money(fen: -5).magnitude() == Money(fen: 5))
    }

    @Test func overflowThrowsInsteadOfTrapping() {
        let max = Money(fen: .max), min = Money(fen: .min)
        #expect(throws: MoneyError.overflow(operation: "¥92,233,720,368,547,758.07 + ¥0.01")) { try max + Money(fen: 1) }
        #expect(throws: MoneyError.overflow(operation: "-¥92,233,720,368,547,758.08 - ¥0.01")) { try min - Money(fen: 1) }
        #expect(throws: MoneyError.overflow(operation: "¥92,233,720,368,547,758.07 × 2")) { try max * 2 }
        #expect(throws: MoneyError.overflow(operation: "-(-¥92,233,720,368,547,758.08)")) { try min.negated() }
        #expect(throws: (any Error).self) { try Money.sum([max, Money(fen: 1)]) }
    }

    @Test("scales with half-away-from-zero rounding", arguments: [
        (Int64(100_000_00), Int64(43), Int64(1000), Int64(4_300_00)),   // 4.3 % of ¥100,000
        (101, 1, 2, 51),        // 50.5 fen → 51
        (-101, 1, 2, -51),      // -50.5 fen → -51
        (100, 1, 3, 33),        // 33.33 → 33
        (200, 1, 3, 67),        // 66.67 → 67
        (Int64.max, 2, 2, Int64.max),
        (Int64.min, 1, 1, Int64.min),
    ])
    func scaled(fen: Int64, numerator: Int64, denominator: Int64, expected: Int64) throws {
        #expect(try Money(fen: fen).scaled(numerator: numerator, denominator: denominator) == Money(fen: expected))
    }

    @Test func scaledRefusesZeroDenominatorAndOverflow() {
        #expect(throws: MoneyError.divisionByZero(operation: "¥1.00 × 1 ÷ 0")) {
            try Money(fen: 100).scaled(numerator: 1, denominator: 0)
        }
        #expect(throws: MoneyError.overflow(operation: "¥92,233,720,368,547,758.07 × 3 ÷ 2")) {
            try Money(fen: .max).scaled(numerator: 3, denominator: 2)
        }
    }

    @Test func codableAsBareFen() throws {
        let data = try JSONEncoder().encode([Money(fen: 123_456)])
        #expect(String(decoding: data, as: UTF8.self) == "[123456]")
        #expect(try JSONDecoder().decode([Money].self, from: data) == [Money(fen: 123_456)])
    }
}
