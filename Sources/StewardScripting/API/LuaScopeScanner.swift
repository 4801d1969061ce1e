/// What a scope-aware pass over a script's tokens finds: which names are globals (read,
/// assigned, called) and which fields of global tables are used.
///
/// The pass follows Lua 5.4's grammar closely enough to know every scope: `local` (with
/// `<const>`/`<close>`), `local function` (visible in its own body), function parameters and
/// `...`, `self` in `function t:m()`, numeric and generic `for` variables, `repeat ... until`
/// (the condition sees the block's locals), nested blocks, table constructor keys (not
/// names), `goto` and `::labels::` (not variables). It assumes source that compiles; on
/// anything it cannot follow it stops with ``LuaScopeScanner/ScanError``.
public struct LuaScopeScan: Sendable {
    /// A global name read (not assigned): `print`, `yuan`, a typo.
    public struct Read: Sendable, Hashable {
        public var name: String
        public var line: Int
        /// Locals visible where it was read, for "did you mean" suggestions.
        public var visibleLocals: Set<String>
    }

    /// `global.field` or `global:field(...)` where `global` is not shadowed by a local.
    public struct FieldUse: Sendable, Hashable {
        public var table: String
        public var field: String
        public var line: Int
        /// True when assigned (`money.x = 1`, `function report.mine() end`).
        public var isWrite: Bool
    }

    public var reads: [Read] = []
    /// Global names assigned anywhere (`total = 0`, `function helper() end`), with the line.
    public var writes: [(name: String, line: Int)] = []
    public var fields: [FieldUse] = []
    /// Global names called directly (`script{...}`, `yuan(5)`), with the line of the call.
    public var calls: [(name: String, line: Int)] = []

    /// Names the script defines as globals.
    public var definedGlobals: Set<String> { Set(writes.map(\.name)) }
}

public enum LuaScopeScanner {
    public struct ScanError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "\(line): \(message)" }
    }

    /// Tokenizes and scans `source`.
    public static func scan(_ source: String) throws(ScanError) -> LuaScopeScan {
        let tokens: [LuaToken]
        do { tokens = try LuaTokenizer.tokenize(source) } catch { throw ScanError(line: error.line, message: error.message) }
        return try scan(tokens)
    }

    public static func scan(_ tokens: [LuaToken]) throws(ScanError) -> LuaScopeScan {
        var parser = Parser(tokens)
        try parser.chunk()
        return parser.result
    }

    /// A recursive-descent walk over the grammar that records scopes instead of building a tree.
    struct Parser {
        let t: [LuaToken]
        var p = 0
        /// Innermost last. The outermost scope holds `_ENV`, always a local (an upvalue).
        var scopes: [Set<String>] = [["_ENV"]]
        var result = LuaScopeScan()

        init(_ tokens: [LuaToken]) { t = tokens }

        var tok: LuaToken { t[min(p, t.count - 1)] }
        func ahead(_ n: Int) -> LuaToken { t[min(p + n, t.count - 1)] }
        mutating func advance() { if p < t.count - 1 { p += 1 } }

        func fail(_ message: String) -> ScanError { ScanError(line: tok.line, message: message) }

        mutating func expect(symbol s: String) throws(ScanError) {
            guard tok.isSymbol(s) else { throw fail("'\(s)' expected near '\(tok.text)'") }
            advance()
        }

        mutating func expect(keyword k: String) throws(ScanError) {
            guard tok.isKeyword(k) else { throw fail("'\(k)' expected near '\(tok.text)'") }
            advance()
        }

        mutating func name() throws(ScanError) -> LuaToken {
            guard tok.kind == .name else { throw fail("<name> expected near '\(tok.text)'") }
            defer { advance() }
            return tok
        }

        func isLocal(_ name: String) -> Bool { scopes.contains { $0.contains(name) } }
        mutating func declare(_ name: String) { scopes[scopes.count - 1].insert(name) }
        mutating func open() { scopes.append([]) }
        mutating func close() { scopes.removeLast() }

        mutating func read(_ token: LuaToken) {
            guard !isLocal(token.text) else { return }
            result.reads.append(.init(name: token.text, line: token.line,
                                      visibleLocals: scopes.reduce(into: Set<String>()) { $0.formUnion($1) }))
        }

        mutating func write(_ token: LuaToken) {
            guard !isLocal(token.text) else { return }
            result.writes.append((token.text, token.line))
        }

        // MARK: blocks and statements

        mutating func chunk() throws(ScanError) {
            try block()
            guard tok.kind == .eof else { throw fail("'<eof>' expected near '\(tok.text)'") }
        }

        var blockEnds: Bool {
            tok.kind == .eof || (tok.kind == .keyword && ["else", "elseif", "end", "until"].contains(tok.text))
        }

        mutating func block() throws(ScanError) {
            while !blockEnds {
                if tok.isKeyword("return") {
                    advance()
                    if !blockEnds && !tok.isSymbol(";") { try expressionList() }
                    if tok.isSymbol(";") { advance() }
                    return
                }
                try statement()
            }
        }

        mutating func scopedBlock() throws(ScanError) {
            open()
            defer { close() }
            try block()
        }

        mutating func statement() throws(ScanError) {
            let token = tok
            if token.kind == .symbol {
                switch token.text {
                case ";": advance(); return
                case "::":
                    advance()
                    _ = try name()
                    try expect(symbol: "::")
                    return
                default: break
                }
            }
            guard token.kind == .keyword else { return try expressionStatement() }
            switch token.text {
            case "break":
                advance()
            case "goto":
                advance()
                _ = try name()
            case "do":
                advance()
                try scopedBlock()
                try expect(keyword: "end")
            case "while":
                advance()
                try expression()
                try expect(keyword: "do")
                try scopedBlock()
                try expect(keyword: "end")
            case "repeat":
                advance()
                open()
                try block()
                try expect(keyword: "until")
                try expression()  // sees the block's locals
                close()
            case "if":
                advance()
                try expression()
                try expect(keyword: "then")
                try scopedBlock()
                while tok.isKeyword("elseif") {
                    advance()
                    try expression()
                    try expect(keyword: "then")
                    try scopedBlock()
                }
                if tok.isKeyword("else") {
                    advance()
                    try scopedBlock()
                }
                try expect(keyword: "end")
            case "for":
                try forStatement()
            case "function":
                try functionStatement()
            case "local":
                advance()
                if tok.isKeyword("function") {
                    advance()
                    let n = try name()
                    declare(n.text)  // visible in its own body: recursion
                    try functionBody(isMethod: false)
                } else {
                    var names: [String] = []
                    repeat {
                        if !names.isEmpty { advance() }
                        names.append(try name().text)
                        if tok.isSymbol("<") {  // <const> or <close>
                            advance()
                            _ = try name()
                            try expect(symbol: ">")
                        }
                    } while tok.isSymbol(",")
                    if tok.isSymbol("=") {
                        advance()
                        try expressionList()
                    }
                    for n in names { declare(n) }  // after the values: `local x = x` reads the outer x
                }
            default:
                try expressionStatement()
            }
        }

        mutating func forStatement() throws(ScanError) {
            advance()
            let first = try name()
            var names = [first.text]
            if tok.isSymbol("=") {
                advance()
                try expression()
                try expect(symbol: ",")
                try expression()
                if tok.isSymbol(",") {
                    advance()
                    try expression()
                }
            } else {
                while tok.isSymbol(",") {
                    advance()
                    names.append(try name().text)
                }
                try expect(keyword: "in")
                try expressionList()
            }
            try expect(keyword: "do")
            open()
            for n in names { declare(n) }
            try block()
            close()
            try expect(keyword: "end")
        }

        /// `function a.b.c:m(...)`: a bare name defines a global (or assigns a local); a path
        /// reads its first name and assigns a field of it.
        mutating func functionStatement() throws(ScanError) {
            advance()
            let first = try name()
            var isMethod = false
            var path: [LuaToken] = []
            while tok.isSymbol(".") {
                advance()
                path.append(try name())
            }
            if tok.isSymbol(":") {
                advance()
                path.append(try name())
                isMethod = true
            }
            if path.isEmpty {
                write(first)
            } else {
                read(first)
                if !isLocal(first.text) {
                    result.fields.append(.init(table: first.text, field: path[0].text, line: path[0].line,
                                               isWrite: path.count == 1))
                }
            }
            try functionBody(isMethod: isMethod)
        }

        mutating func functionBody(isMethod: Bool) throws(ScanError) {
            try expect(symbol: "(")
            open()
            defer { close() }
            if isMethod { declare("self") }
            if !tok.isSymbol(")") {
                repeat {
                    if tok.isSymbol(",") { advance() }
                    if tok.isSymbol("...") {
                        advance()
                        break
                    }
                    declare(try name().text)
                } while tok.isSymbol(",")
            }
            try expect(symbol: ")")
            try block()
            try expect(keyword: "end")
        }

        /// A call, or an assignment to one or more targets.
        mutating func expressionStatement() throws(ScanError) {
            var targets = [try suffixedExpression()]
            if tok.isSymbol("=") || tok.isSymbol(",") {
                while tok.isSymbol(",") {
                    advance()
                    targets.append(try suffixedExpression())
                }
                try expect(symbol: "=")
                try expressionList()
                for target in targets {
                    if let bare = target.bareName { write(bare) }
                    if target.suffixes == 1, let index = target.fieldIndex { result.fields[index].isWrite = true }
                }
            } else if let bare = targets[0].bareName {
                read(bare)  // not valid Lua; keep the read so a typo is still reported
            }
        }

        // MARK: expressions

        mutating func expressionList() throws(ScanError) {
            try expression()
            while tok.isSymbol(",") {
                advance()
                try expression()
            }
        }

        static let binary: Set<String> = ["+", "-", "*", "/", "//", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=",
                                          "&", "|", "~", "<<", ">>"]
        static let unary: Set<String> = ["-", "#", "~"]

        mutating func expression() throws(ScanError) {
            while (tok.kind == .symbol && Self.unary.contains(tok.text)) || tok.isKeyword("not") { advance() }
            try simpleExpression()
            while (tok.kind == .symbol && Self.binary.contains(tok.text)) || tok.isKeyword("and") || tok.isKeyword("or") {
                advance()
                while (tok.kind == .symbol && Self.unary.contains(tok.text)) || tok.isKeyword("not") { advance() }
                try simpleExpression()
            }
        }

        mutating func simpleExpression() throws(ScanError) {
            switch tok.kind {
            case .number, .string:
                advance()
            case .keyword where ["nil", "true", "false"].contains(tok.text):
                advance()
            case .keyword where tok.text == "function":
                advance()
                try functionBody(isMethod: false)
            case .symbol where tok.text == "...":
                advance()
            case .symbol where tok.text == "{":
                try constructor()
            default:
                let e = try suffixedExpression()
                if let bare = e.bareName { read(bare) }
            }
        }

        struct Suffixed {
            /// The name when the expression is just a name (a read or an assignment target).
            var bareName: LuaToken?
            var suffixes = 0
            /// The index in `result.fields` of `name.field` when the first suffix is a field.
            var fieldIndex: Int?
        }

        mutating func suffixedExpression() throws(ScanError) -> Suffixed {
            var base: LuaToken?
            if tok.kind == .name {
                base = tok
                advance()
            } else if tok.isSymbol("(") {
                advance()
                try expression()
                try expect(symbol: ")")
            } else {
                throw fail("unexpected symbol near '\(tok.text)'")
            }
            var e = Suffixed()
            while tok.kind == .string || (tok.kind == .symbol && [".", "[", ":", "(", "{"].contains(tok.text)) {
                let first = e.suffixes == 0
                if first, let b = base { read(b) }
                if tok.isSymbol(".") || tok.isSymbol(":") {
                    let isMethod = tok.isSymbol(":")
                    advance()
                    let field = try name()
                    if first, let b = base, !isLocal(b.text) {
                        e.fieldIndex = result.fields.count
                        result.fields.append(.init(table: b.text, field: field.text, line: field.line, isWrite: false))
                    }
                    if isMethod { try callArguments() }
                } else if tok.isSymbol("[") {
                    advance()
                    try expression()
                    try expect(symbol: "]")
                } else {
                    if first, let b = base, !isLocal(b.text) { result.calls.append((b.text, b.line)) }
                    try callArguments()
                }
                e.suffixes += 1
            }
            if e.suffixes == 0 { e.bareName = base }
            return e
        }

        mutating func callArguments() throws(ScanError) {
            if tok.kind == .string {
                advance()
            } else if tok.isSymbol("{") {
                try constructor()
            } else {
                try expect(symbol: "(")
                if !tok.isSymbol(")") { try expressionList() }
                try expect(symbol: ")")
            }
        }

        mutating func constructor() throws(ScanError) {
            try expect(symbol: "{")
            while !tok.isSymbol("}") {
                if tok.isSymbol("[") {
                    advance()
                    try expression()
                    try expect(symbol: "]")
                    try expect(symbol: "=")
                    try expression()
                } else if tok.kind == .name, ahead(1).isSymbol("=") {
                    advance()  // a key, not a variable
                    advance()
                    try expression()
                } else {
                    try expression()
                }
                guard tok.isSymbol(",") || tok.isSymbol(";") else { break }
                advance()
            }
            try expect(symbol: "}")
        }
    }
}
