import StewardScripting

/// Tab completion, worked out in the worker (which holds the session's values): globals and
/// keywords; fields and methods after `.` and `:` on tables and host objects, including the
/// objects a chain of calls returns (`members{ town = "儒林镇" }:where{...}:` completes the
/// query's methods) — without running any of the user's code.
struct ReplCompletion {
    /// The text before the cursor split into what is being completed.
    struct Target: Equatable {
        /// The receiver chain before the last `.` or `:` (empty: a plain name).
        var chain: [Segment]
        /// `.` or `:` (nil for a plain name).
        var separator: Character?
        /// The partial name being completed.
        var prefix: String
    }

    enum Segment: Equatable {
        case name(String)
        /// `.field` or `["field"]`
        case field(String)
        /// `:method` (the call follows as `.call`)
        case method(String)
        /// `(...)`, `{...}` or `"..."` after a function or method
        case call
        /// `[expr]` with a non-constant key
        case index
    }

    static let keywords = ReplFormatter.keywords.sorted()

    /// What a host function or method returns, by host type name, so chains complete.
    static let returns: [String: String] = [
        "members": "members", "member": "member", "facilities": "facilities", "facility": "facility",
        "budget": "budget", "programme": "programme", "today": "date", "date": "date", "period": "period",
        "month": "period", "quarter": "period", "year": "period", "half": "period",
        "days": "span", "months": "span", "years": "span",
    ]
    static let methodReturns: [String: [String: String]] = [
        "members": ["where": "members", "order_by": "members", "limit": "members", "first": "member"],
        "facilities": ["order_by": "facilities"],
        "date": ["add_days": "date", "add_months": "date", "month_end": "date"],
        "period": ["next": "period"],
    ]
    static let propertyTypes: [String: [String: String]] = [
        "member": ["birth_date": "date", "certificate_expiry": "date", "applied_on": "date"],
        "period": ["first_day": "date", "last_day": "date"],
        "facility": [:],
    ]

    /// Splits the text before the cursor; nil inside a string or comment, or after a number.
    static func target(_ line: String) -> Target? {
        let chars = Array(line)
        if insideStringOrComment(chars) { return nil }
        var end = chars.count
        var start = end
        while start > 0, isNameChar(chars[start - 1]) { start -= 1 }
        let prefix = String(chars[start..<end])
        if let first = prefix.first, first.isNumber { return nil }
        guard start > 0, chars[start - 1] == "." || chars[start - 1] == ":" else {
            return Target(chain: [], separator: nil, prefix: prefix)
        }
        let separator = chars[start - 1]
        if separator == ".", start >= 2, chars[start - 2] == "." { return nil }  // `..` concatenation
        end = start - 1
        guard let chainStart = chainStart(chars, end: end) else { return nil }
        guard let chain = parse(Array(chars[chainStart..<end])), !chain.isEmpty else { return nil }
        return Target(chain: chain, separator: separator, prefix: prefix)
    }

    static func isNameChar(_ c: Character) -> Bool {
        c == "_" || (c.isASCII && (c.isLetter || c.isNumber))
    }

    /// Scans back over names, `.`/`:`, balanced brackets and strings: where the receiver starts.
    static func chainStart(_ chars: [Character], end: Int) -> Int? {
        var i = end
        while i > 0 {
            let c = chars[i - 1]
            if isNameChar(c) || c == "." || c == ":" {
                i -= 1
            } else if c == ")" || c == "}" || c == "]" {
                let open: Character = c == ")" ? "(" : c == "}" ? "{" : "["
                var depth = 0
                var j = i - 1
                while j >= 0 {
                    if chars[j] == c { depth += 1 }
                    if chars[j] == open {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    j -= 1
                }
                guard j >= 0 else { return nil }
                i = j
            } else if c == "\"" || c == "'" {
                var j = i - 2
                while j >= 0, chars[j] != c { j -= 1 }
                guard j >= 0 else { return nil }
                i = j
            } else {
                break
            }
        }
        return i < end ? i : nil
    }

    /// `a.b:c(x).d` → [name a, field b, method c, call, field d].
    static func parse(_ chars: [Character]) -> [Segment]? {
        var out: [Segment] = []
        var i = 0
        func name() -> String {
            let s = i
            while i < chars.count, isNameChar(chars[i]) { i += 1 }
            return String(chars[s..<i])
        }
        while i < chars.count {
            let c = chars[i]
            if isNameChar(c) {
                guard out.isEmpty else { return nil }
                out.append(.name(name()))
            } else if c == "." || c == ":" {
                i += 1
                let n = name()
                guard !n.isEmpty else { return nil }
                out.append(c == "." ? .field(n) : .method(n))
            } else if c == "(" || c == "{" || c == "\"" || c == "'" {
                let close: Character = c == "(" ? ")" : c == "{" ? "}" : c
                var depth = 0
                var j = i
                while j < chars.count {
                    if c == "\"" || c == "'" {
                        if j > i && chars[j] == close { break }
                    } else {
                        if chars[j] == c { depth += 1 }
                        if chars[j] == close { depth -= 1; if depth == 0 { break } }
                    }
                    j += 1
                }
                guard j < chars.count else { return nil }
                i = j + 1
                out.append(.call)
            } else if c == "[" {
                var depth = 0
                var j = i
                while j < chars.count {
                    if chars[j] == "[" { depth += 1 }
                    if chars[j] == "]" { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                guard j < chars.count else { return nil }
                let inner = String(chars[(i + 1)..<j]).trimmingCharacters(in: .whitespaces)
                if inner.count >= 2, let q = inner.first, q == "\"" || q == "'", inner.last == q {
                    out.append(.field(String(inner.dropFirst().dropLast())))
                } else {
                    out.append(.index)
                }
                i = j + 1
            } else {
                return nil
            }
        }
        return out
    }

    /// True when the end of `chars` is inside a string literal or a `--` comment.
    static func insideStringOrComment(_ chars: [Character]) -> Bool {
        var quote: Character?
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == "\\" { i += 2; continue }
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                return true
            }
            i += 1
        }
        return quote != nil
    }

    /// Candidates for `line` (the text before the cursor) and how many characters they replace.
    static func complete(_ line: String, evaluator: ReplEvaluator) -> (candidates: [String], replace: Int) {
        guard let target = target(line) else { return ([], 0) }
        let names: [String]
        if target.chain.isEmpty {
            names = keywords + evaluator.globalNames
        } else {
            names = members(of: target.chain, separator: target.separator, evaluator: evaluator)
        }
        let matches = Array(Set(names.filter { $0.hasPrefix(target.prefix) && !$0.hasPrefix("__") })).sorted()
        return (matches, target.prefix.count)
    }

    /// Field and method names of what `chain` evaluates to.
    static func members(of chain: [Segment], separator: Character?, evaluator: ReplEvaluator) -> [String] {
        // Resolve the longest pure path (a.b.c) by looking at the values themselves; then
        // follow calls, methods and properties by their known result types.
        var path: [String] = []
        var index = 0
        while index < chain.count {
            switch chain[index] {
            case .name(let n) where index == 0: path.append(n)
            case .field(let f) where !path.isEmpty: path.append(f)
            default: break
            }
            if path.count != index + 1 { break }
            index += 1
        }
        var type: String?
        var keys: [String]?
        if index == 1, chain.count > 1, chain[1] == .call, case .name(let n) = chain[0] {
            type = ReplHelp.typeName(APICatalogue.function(n)?.returns.first?.type) ?? returns[n]
            index = 2
        } else {
            // The longest prefix of the path that names a table or a host object.
            var k = path.count
            var found: ReplLookup?
            while k > 0 {
                found = evaluator.lookup(Array(path[0..<k]))
                if found != nil { break }
                k -= 1
            }
            switch found {
            case .keys(let names)?:
                guard k == path.count, index == chain.count else { return [] }
                keys = names
            case .object(let t)?:
                type = t
                index = k
            case nil:
                return []
            }
        }
        while index < chain.count {
            guard let current = type else { return [] }
            switch chain[index] {
            case .method(let m):
                guard index + 1 < chain.count, chain[index + 1] == .call else { return [] }
                let method = APICatalogue.types[current]?.methods.first { $0.name == m }
                type = ReplHelp.typeName(method?.returns.first?.type) ?? methodReturns[current]?[m]
                index += 2
            case .field(let f):
                let field = APICatalogue.types[current]?.fields.first { $0.name == f }
                type = ReplHelp.typeName(field?.type) ?? propertyTypes[current]?[f]
                index += 1
            default:
                return []
            }
        }
        if let keys { return keys }
        guard let type else { return [] }
        return ReplHelp.members(ofType: type, separator: separator) ?? evaluator.state.registeredTypeMembers[type] ?? []
    }
}
