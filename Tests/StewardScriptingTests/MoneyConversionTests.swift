import Foundation
import StewardCore
import Testing
@testable import StewardScripting

/// `yuan(…)` and `fen(…)` turn what a script writes into exact fen. Each kind of argument is
/// pinned here, with the error for each kind refused: the binding tells arguments apart by
/// their Lua type, and this is what it must keep doing whichever way it does that.
@Suite("Money: yuan() and fen()")
struct MoneyConversionTests {
    @Test("each accepted argument gives exact fen")
    func accepted() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.lua("""
            print(yuan(12), yuan(12.5), yuan(3.0), yuan(-7), yuan("¥1,234.56"), yuan("70"))
            print(fen(123), fen(3.0), fen(-5), money.yuan(8), math.type(yuan(2.5)), math.type(fen(3.0)))
            """)
        #expect(report.status == .ok, "\(report.problem)")
        #expect(report.output == "1200\t1250\t300\t-700\t123456\t7000\n123\t3\t-5\t800\tinteger\tinteger\n")
    }

    @Test("each refused argument is an error naming the function and what was wrong", arguments: [
        ("fen(2.5)", "inline.lua:1: bad argument #1 to 'fen' (fen must be a whole number, got 2.5)"),
        ("fen('1')", "inline.lua:1: bad argument #1 to 'fen' (integer expected, got string)"),
        ("yuan(true)", "inline.lua:1: bad argument #1 to 'yuan' (number or string expected, got boolean)"),
        ("fen({})", "inline.lua:1: bad argument #1 to 'fen' (number or string expected, got table)"),
        ("yuan()", "inline.lua:1: bad argument #1 to 'yuan' (number or string expected, got no value)"),
        ("yuan(math.maxinteger)", "inline.lua:1: yuan(9223372036854775807) is too large an amount"),
    ])
    func refused(_ call: String, _ message: String) throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.lua("local x = \(call)")
        #expect(report.status == .scriptError)
        #expect(report.error?.message == message)
    }
}
