extension Masking {
    /// `text` with anything shaped like an identity number (17 digits and a check digit or
    /// `X`), a mainland mobile number (11 digits starting 1[3-9]) or a fixed line
    /// (`0519-82345678`) masked as ``IdentityNumber/masked`` and ``PhoneNumber/masked`` show
    /// them. For free text that may carry personal numbers: a stored run's output shown to
    /// someone who may not see them. A number inside a longer run of digits is left alone.
    public static func redactNumbers(in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        func isDigit(_ k: Int) -> Bool { k >= 0 && k < scalars.count && (0x30...0x39).contains(scalars[k].value) }
        func digitsEnd(from k: Int) -> Int {
            var j = k
            while isDigit(j) { j += 1 }
            return j
        }
        func piece(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        var i = 0
        while i < scalars.count {
            guard isDigit(i), !isDigit(i - 1) else {
                out.append(scalars[i])
                i += 1
                continue
            }
            let j = digitsEnd(from: i)
            var end = j
            var replacement: String?
            if j - i == 17, j < scalars.count, scalars[j] == "X" || scalars[j] == "x" {
                end = j + 1
                replacement = mask(piece(i..<end), keepFirst: 6, keepLast: 4)
            } else if j - i == 18 {
                replacement = mask(piece(i..<j), keepFirst: 6, keepLast: 4)
            } else if j - i == 11, scalars[i] == "1", (0x33...0x39).contains(scalars[i + 1].value) {
                replacement = mask(piece(i..<j), keepFirst: 3, keepLast: 4)
            } else if (3...4).contains(j - i), scalars[i] == "0", j < scalars.count, scalars[j] == "-",
                      case let k = digitsEnd(from: j + 1), (7...8).contains(k - j - 1) {
                end = k
                replacement = piece(i..<j) + "-" + mask(piece((j + 1)..<k), keepFirst: 0, keepLast: 4)
            }
            out.append(contentsOf: (replacement ?? piece(i..<end)).unicodeScalars)
            i = end
        }
        return String(out)
    }
}
