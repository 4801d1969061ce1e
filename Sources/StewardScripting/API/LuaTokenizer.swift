/// One token of Lua 5.4 source.
public struct LuaToken: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case name, keyword, string, number, symbol, eof
    }

    public var kind: Kind
    /// Names, keywords, symbols and numbers: the source text. Strings: the value, escapes
    /// decoded (invalid UTF-8 produced by byte escapes is replaced).
    public var text: String
    /// The line the token starts on, from 1.
    public var line: Int

    public init(_ kind: Kind, _ text: String, line: Int) {
        self.kind = kind
        self.text = text
        self.line = line
    }

    public var description: String { "\(kind) \(text.debugDescription) @\(line)" }

    func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }
    func isKeyword(_ s: String) -> Bool { kind == .keyword && text == s }
}

/// Source that is not valid Lua at the token level: an unfinished string or comment, a bad
/// escape, a stray character.
public struct LuaTokenError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "\(line): \(message)" }
}

/// A compact tokenizer for Lua 5.4: names, the 22 keywords, numbers (decimal and hex, with
/// fractions and exponents), short strings with every escape (`\n`, `\ddd`, `\xXX`, `\z`,
/// `\u{XXX}`, escaped newlines), long strings and comments at any level (`[==[ ... ]==]`),
/// and every operator. Comments are skipped; lines are counted as Lua counts them (`\r\n`
/// is one line).
///
/// ```swift
/// let tokens = try LuaTokenizer.tokenize("local a <const> = [[x]] -- note")
/// // keyword local, name a, symbol <, name const, symbol >, symbol =, string "x", eof
/// ```
public enum LuaTokenizer {
    public static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    static let threeCharSymbols: Set<String> = ["..."]
    static let twoCharSymbols: Set<String> = ["..", "==", "~=", "<=", ">=", "<<", ">>", "//", "::"]
    static let oneCharSymbols: Set<UInt8> = Set("+-*/%^#&~|<>=(){}[];:,.".utf8)

    public static func tokenize(_ source: String) throws(LuaTokenError) -> [LuaToken] {
        var scanner = Scanner(Array(source.utf8))
        var tokens: [LuaToken] = []
        while true {
            let token = try scanner.next()
            tokens.append(token)
            if token.kind == .eof { return tokens }
        }
    }

    struct Scanner {
        let b: [UInt8]
        var i = 0
        var line = 1

        init(_ bytes: [UInt8]) { b = bytes }

        func peek(_ offset: Int = 0) -> UInt8? { i + offset < b.count ? b[i + offset] : nil }

        func error(_ message: String, line: Int? = nil) -> LuaTokenError {
            LuaTokenError(line: line ?? self.line, message: message)
        }

        static func isNameStart(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 }
        static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) }
        static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || isDigit(c) }

        /// Consumes a newline (`\n`, `\r`, `\r\n` or `\n\r`) at `i`, counting one line.
        mutating func newline() {
            let first = b[i]
            i += 1
            if let c = peek(), (c == 10 || c == 13), c != first { i += 1 }
            line += 1
        }

        mutating func next() throws(LuaTokenError) -> LuaToken {
            while let c = peek() {
                switch c {
                case 10, 13:
                    newline()
                case 32, 9, 11, 12:
                    i += 1
                case 45 where peek(1) == 45:  // --
                    i += 2
                    let start = line
                    if peek() == 91, let level = longBracketLevel() {
                        _ = try longBracket(level: level, what: "comment", startLine: start)
                    } else {
                        while let d = peek(), d != 10, d != 13 { i += 1 }
                    }
                default:
                    return try token(c)
                }
            }
            return LuaToken(.eof, "", line: line)
        }

        mutating func token(_ c: UInt8) throws(LuaTokenError) -> LuaToken {
            let start = i, startLine = line
            if Self.isNameStart(c) {
                while let d = peek(), Self.isNameChar(d) { i += 1 }
                let text = String(decoding: b[start..<i], as: UTF8.self)
                return LuaToken(LuaTokenizer.keywords.contains(text) ? .keyword : .name, text, line: startLine)
            }
            if Self.isDigit(c) || (c == 46 && peek(1).map(Self.isDigit) == true) {
                return number()
            }
            if c == 34 || c == 39 {
                return LuaToken(.string, try shortString(quote: c), line: startLine)
            }
            if c == 91, let level = longBracketLevel() {
                return LuaToken(.string, try longBracket(level: level, what: "string", startLine: startLine), line: startLine)
            }
            for length in [3, 2] where i + length <= b.count {
                let text = String(decoding: b[i..<(i + length)], as: UTF8.self)
                if (length == 3 ? LuaTokenizer.threeCharSymbols : LuaTokenizer.twoCharSymbols).contains(text) {
                    i += length
                    return LuaToken(.symbol, text, line: startLine)
                }
            }
            if LuaTokenizer.oneCharSymbols.contains(c) {
                i += 1
                return LuaToken(.symbol, String(UnicodeScalar(c)), line: startLine)
            }
            throw error("unexpected symbol near '\(c >= 32 && c < 127 ? String(UnicodeScalar(c)) : "<\\\(c)>")'")
        }

        /// A number as Lua reads it: greedy over digits, `.`, exponents with signs, and any
        /// letters after (which Lua itself would call a malformed number).
        mutating func number() -> LuaToken {
            let start = i
            var exponent: Set<UInt8> = [101, 69]  // e E
            if peek() == 48, let x = peek(1), x == 120 || x == 88 {
                i += 2
                exponent = [112, 80]  // p P
            }
            while let c = peek() {
                if exponent.contains(c), let s = peek(1), s == 43 || s == 45 {
                    i += 2
                } else if Self.isNameChar(c) || c == 46 {
                    i += 1
                } else {
                    break
                }
            }
            return LuaToken(.number, String(decoding: b[start..<i], as: UTF8.self), line: line)
        }

        /// At `[`: the level of a long bracket (`[[` 0, `[==[` 2), or nil if it is not one.
        func longBracketLevel() -> Int? {
            var j = i + 1
            var level = 0
            while j < b.count, b[j] == 61 { level += 1; j += 1 }
            return j < b.count && b[j] == 91 ? level : nil
        }

        /// Reads a long string or comment from its opening bracket; returns its contents
        /// (without a first newline, as Lua does).
        mutating func longBracket(level: Int, what: String, startLine: Int) throws(LuaTokenError) -> String {
            i += level + 2
            if let c = peek(), c == 10 || c == 13 { newline() }
            var content: [UInt8] = []
            while let c = peek() {
                if c == 93 {  // ]
                    var j = i + 1
                    var closing = 0
                    while j < b.count, b[j] == 61 { closing += 1; j += 1 }
                    if closing == level, j < b.count, b[j] == 93 {
                        i = j + 1
                        return String(decoding: content, as: UTF8.self)
                    }
                    content.append(c)
                    i += 1
                } else if c == 10 || c == 13 {
                    newline()
                    content.append(10)
                } else {
                    content.append(c)
                    i += 1
                }
            }
            throw error("unfinished long \(what) (starting at line \(startLine)) near '<eof>'")
        }

        mutating func shortString(quote: UInt8) throws(LuaTokenError) -> String {
            i += 1
            var out: [UInt8] = []
            while true {
                guard let c = peek() else { throw error("unfinished string near '<eof>'") }
                switch c {
                case quote:
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                case 10, 13:
                    throw error("unfinished string")
                case 92:  // backslash
                    i += 1
                    try escape(into: &out)
                default:
                    out.append(c)
                    i += 1
                }
            }
        }

        mutating func escape(into out: inout [UInt8]) throws(LuaTokenError) {
            guard let c = peek() else { throw error("unfinished string near '<eof>'") }
            let simple: [UInt8: UInt8] = [97: 7, 98: 8, 102: 12, 110: 10, 114: 13, 116: 9, 118: 11,
                                          92: 92, 34: 34, 39: 39]
            if let v = simple[c] {
                out.append(v)
                i += 1
                return
            }
            switch c {
            case 10, 13:  // an escaped newline is a newline
                newline()
                out.append(10)
            case 120:  // \xXX
                i += 1
                guard let h1 = peek(), let h2 = peek(1), Self.isHex(h1), Self.isHex(h2) else {
                    throw error("hexadecimal digit expected")
                }
                out.append(UInt8(String(decoding: [h1, h2], as: UTF8.self), radix: 16)!)
                i += 2
            case 122:  // \z skips the following whitespace, newlines included
                i += 1
                while let d = peek() {
                    if d == 10 || d == 13 { newline() } else if d == 32 || d == 9 || d == 11 || d == 12 { i += 1 } else { break }
                }
            case 117:  // \u{XXX}
                i += 1
                guard peek() == 123 else { throw error("missing '{' in \\u{xxxx}") }
                i += 1
                var value: UInt32 = 0
                var digits = 0
                while let d = peek(), Self.isHex(d) {
                    value = value &* 16 &+ UInt32(String(UnicodeScalar(d)), radix: 16)!
                    guard value <= 0x7FFF_FFFF else { throw error("UTF-8 value too large") }
                    digits += 1
                    i += 1
                }
                guard digits > 0, peek() == 125 else { throw error("missing '}' in \\u{xxxx}") }
                i += 1
                out += Self.utf8(value)
            default:
                guard Self.isDigit(c) else { throw error("invalid escape sequence '\\\(String(UnicodeScalar(c)))'") }
                var value = 0
                var n = 0
                while n < 3, let d = peek(), Self.isDigit(d) {
                    value = value * 10 + Int(d - 48)
                    i += 1
                    n += 1
                }
                guard value <= 255 else { throw error("decimal escape too large") }
                out.append(UInt8(value))
            }
        }

        /// Lua's extended UTF-8 (up to 31 bits).
        static func utf8(_ v: UInt32) -> [UInt8] {
            if v < 0x80 { return [UInt8(v)] }
            var bytes: [UInt8] = []
            var value = v
            var limit: UInt32 = 0x3F
            repeat {
                bytes.insert(UInt8(0x80 | (value & 0x3F)), at: 0)
                value >>= 6
                limit >>= 1
            } while value > limit
            bytes.insert(UInt8((~limit << 1) & 0xFF) | UInt8(value), at: 0)
            return bytes
        }
    }
}
