import Foundation
import Testing
import StewardCore

@Suite("Identity and phone numbers")
struct IdentityNumberTests {
    @Test func validatesAKnownNumber() throws {
        let id = try IdentityNumber("11010519491231002X")
        #expect(id.value == "11010519491231002X")
        #expect(id.regionCode == "110105")
        #expect(id.birthDate == (try CivilDate(year: 1949, month: 12, day: 31)))
        #expect(id.sequence == 2)
        #expect(id.sex == .female)
        #expect(id.checkCharacter == "X")
        #expect(id.masked == "110105********002X")
        #expect(IdentityNumber.checkCharacter(forFirst17: "11010519491231002".map { $0.wholeNumberValue! }) == "X")
    }

    @Test func acceptsLowerCaseXAndWhitespace() throws {
        #expect(try IdentityNumber(" 11010519491231002x ").value == "11010519491231002X")
    }

    @Test func namesTheFailedCheck() {
        #expect(throws: IdentityNumberError.wrongLength(text: "1101051949123100", length: 16)) {
            try IdentityNumber("1101051949123100")
        }
        #expect(throws: IdentityNumberError.notADigit(text: "11010519491231A02X", position: 15)) {
            try IdentityNumber("11010519491231A02X")
        }
        #expect(throws: IdentityNumberError.notADigit(text: "11010519491231002Y", position: 18)) {
            try IdentityNumber("11010519491231002Y")
        }
        #expect(throws: IdentityNumberError.invalidBirthDate(text: "11010520250229002X", birthDate: "20250229")) {
            try IdentityNumber("11010520250229002X")
        }
        #expect(throws: IdentityNumberError.wrongCheckCharacter(text: "110105194912310021", expected: "X", found: "1")) {
            try IdentityNumber("110105194912310021")
        }
        #expect(IdentityNumberError.wrongCheckCharacter(text: "110105194912310021", expected: "X", found: "1").description
            == "Identity number '110105194912310021' has check character 1, but its digits require X.")
        #expect(IdentityNumberError.invalidBirthDate(text: "11010520250229002X", birthDate: "20250229").description
            == "Identity number '11010520250229002X' contains '20250229', which is not a valid birth date.")
        #expect(IdentityNumberError.wrongLength(text: "123", length: 3).description
            == "Identity number '123' has 3 characters; it must have 18.")
    }

    @Test func generatesValidNumbers() throws {
        let born = try CivilDate(year: 1944, month: 2, day: 29)
        let man = try IdentityNumber.make(region: "320482", birthDate: born, sequence: 123)
        #expect(man.value.hasPrefix("32048219440229123"))
        #expect(man.sex == .male)
        #expect(man.birthDate == born)
        #expect(try IdentityNumber(man.value) == man)
        let woman = try IdentityNumber.make(region: "320482", birthDate: born, sequence: 124)
        #expect(woman.sex == .female)
        #expect(throws: IdentityNumberError.invalidRegion("32048")) {
            try IdentityNumber.make(region: "32048", birthDate: born, sequence: 1)
        }
        #expect(throws: IdentityNumberError.invalidSequence(1000)) {
            try IdentityNumber.make(region: "320482", birthDate: born, sequence: 1000)
        }
        // Every sequence yields a number that validates: the check digit covers all of them.
        for sequence in stride(from: 0, through: 999, by: 37) {
            let id = try IdentityNumber.make(region: "320412", birthDate: born, sequence: sequence)
            #expect(id.sequence == sequence)
        }
    }

    @Test func printsMaskedEverywhere() throws {
        let id = try IdentityNumber("11010519491231002X")
        #expect("\(id)" == "110105********002X")
        #expect(String(reflecting: id) == "IdentityNumber(110105********002X)")
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["11010519491231002X"]"#)
        #expect(throws: (any Error).self) { try JSONDecoder().decode([IdentityNumber].self, from: Data(#"["110105194912310021"]"#.utf8)) }
    }

    @Test func masking() {
        #expect(Masking.mask("320482199001011234", keepFirst: 6, keepLast: 4) == "320482********1234")
        #expect(Masking.mask("abc", keepFirst: 2, keepLast: 2) == "***")
    }

    @Test func phoneNumbers() throws {
        let mobile = try PhoneNumber("138 1234 1234")
        #expect(mobile.value == "13812341234")
        #expect(mobile.masked == "138****1234")
        #expect("\(mobile)" == "138****1234")
        #expect(mobile.isMobile)
        #expect(try PhoneNumber("+86 138-1234-1234").value == "13812341234")
        let landline = try PhoneNumber("0519-82812345")
        #expect(landline.value == "0519-82812345")
        #expect(landline.masked == "0519-****2345")
        #expect(!landline.isMobile)
        #expect(try PhoneNumber("01012345678").value == "010-12345678")
        for bad in ["12812341234", "1381234123", "abc", "", "138123412345"] {
            #expect(throws: PhoneNumberError.invalid(bad)) { try PhoneNumber(bad) }
        }
        #expect(PhoneNumberError.invalid("abc").description
            == "'abc' is not a phone number: expected an 11-digit mobile number (13812341234) or a fixed line with area code (0519-82812345).")
    }
}
