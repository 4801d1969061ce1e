import Testing
@testable import StewardCore

/// `Check.code`: which characters a code (a budget's, a programme's, a place's) may hold.
@Suite("Codes")
struct CodeCheckTests {
    @Test("of the 128 ASCII characters exactly letters, digits, '-', '_' and '.' are accepted")
    func everyASCIICharacter() {
        var accepted = ""
        for byte in UInt8(0)..<128 {
            let text = String(decoding: [byte], as: UTF8.self)
            if Check.code("a" + text + "b", record: "budget").isEmpty { accepted.append(text) }
        }
        #expect(accepted == "-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
    }

    @Test("letters beyond ASCII, empty codes and codes over 64 bytes are refused, with the message")
    func refused() {
        for code in ["relief-é", "救助", "", String(repeating: "x", count: 65), "a b"] {
            #expect(Check.code(code, record: "budget") == [ValidationError(record: "budget", field: "code",
                message: "The budget code '\(code)' must be 1–64 letters, digits, '-', '_' or '.'.")])
        }
        #expect(Check.code(String(repeating: "x", count: 64), record: "budget").isEmpty)
        #expect(Check.code("disability-subsidies-2025", record: "budget").isEmpty)
    }
}
