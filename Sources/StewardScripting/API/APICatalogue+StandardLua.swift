extension APICatalogue {
    private static func std(_ name: String, _ summary: String, _ parameters: [APIParameter] = [],
                            _ returns: [APIReturn] = [], _ example: String) -> APIFunction {
        APIFunction(name, summary, parameters: parameters, returns: returns, example: example)
    }

    private static func p(_ name: String, _ type: String, _ summary: String, optional: Bool = false) -> APIParameter {
        APIParameter(name, type, summary, optional: optional)
    }

    private static func r(_ type: String, _ summary: String) -> APIReturn { APIReturn(type, summary) }

    /// One-argument math functions on numbers.
    private static func math1(_ name: String, _ summary: String, _ result: String = "number", _ example: String) -> APIFunction {
        std(name, summary, [p("x", "number", "The argument.")], [r(result, "The result.")], example)
    }

    /// Standard Lua names the sandbox leaves out on purpose (DESIGN.md, "The sandbox"), so
    /// `steward check` can say so instead of guessing at a typo.
    public static let leftOut: Set<String> = [
        "io", "package", "require", "load", "loadstring", "dofile", "loadfile", "debug", "collectgarbage",
        "coroutine", "setmetatable", "getmetatable", "rawset", "module", "unpack", "string.dump", "table.move",
        "utf8.codes", "os.execute", "os.exit", "os.getenv", "os.remove", "os.rename", "os.tmpname", "os.setlocale",
    ]

    static let standardLua = APITopic(
        id: "standard",
        title: "Standard Lua (as the sandbox allows it)",
        summary: """
            Lua 5.4's own functions that scripts may use. Left out on purpose: files and processes (`io`, most \
            of `os`), loading code (`load`, `require`, `dofile`), `debug`, `coroutine`, `collectgarbage`, \
            `setmetatable`/`getmetatable`, `string.dump`, `table.move` and `utf8.codes`. `string.rep`, \
            `table.concat` and the pattern functions check sizes first. Reading an undefined global is an \
            error naming it; assigning to a built-in name is refused.
            """,
        functions: [
            std("assert", "Raises an error with `message` if `v` is false or nil; otherwise returns all its arguments.",
                [p("v", "any", "The value to test."), p("message", "any", "The error message.", optional: true)],
                [r("any", "`v` and the other arguments.")],
                """
                local fund = assert(budget "relief-2025", "no relief budget")
                """),
            std("error", "Raises an error; the message gets the script's name and line (level 1) or the caller's (level 2).",
                [p("message", "any", "The message."), p("level", "integer", "1 (default): this line; 2: the caller's.", optional: true)],
                [], """
                local function check(n) if n < 0 then error("negative amount", 2) end end
                """),
            std("ipairs", "Iterates a list `t[1], t[2], …` up to the first nil.",
                [p("t", "table", "The list.")], [r("fun(): integer, any", "The iterator, for `for i, v in ipairs(t)`.")],
                """
                for i, name in ipairs({ "金城镇", "儒林镇" }) do print(i, name) end
                """),
            std("next", "The next key and value of a table after `key` (the first pair when `key` is nil).",
                [p("t", "table", "The table."), p("key", "any", "The previous key.", optional: true)],
                [r("any", "The next key, or nil at the end."), r("any", "Its value.")],
                """
                local empty = next({}) == nil
                """),
            std("pairs", "Iterates every key and value of a table (in no particular order).",
                [p("t", "table", "The table.")], [r("fun(): any, any", "The iterator, for `for k, v in pairs(t)`.")],
                """
                for town, n in pairs(members{ union_card = true }:count_by "town") do print(town, n) end
                """),
            std("pcall", "Calls a function and catches its error (limits such as memory and time are not caught).",
                [p("f", "function", "The function."), p("...", "any", "Its arguments.")],
                [r("boolean", "True on success."), r("any", "The results, or the error message.")],
                """
                local ok, err = pcall(budget, "no-such-budget")
                if not ok then warn(err) end
                """),
            std("xpcall", "Like `pcall` with a message handler that sees the error first.",
                [p("f", "function", "The function."), p("handler", "fun(message: any): any", "The message handler."),
                 p("...", "any", "Arguments for `f`.")],
                [r("boolean", "True on success."), r("any", "The results, or what the handler returned.")],
                """
                local ok, why = xpcall(function() return date"2025-02-30" end, function(m) return "bad date: " .. m end)
                """),
            std("print", "Writes its arguments, separated by tabs, as one line of the run's output (not the terminal directly).",
                [p("...", "any", "Values, converted with tostring.")], [],
                """
                print("granted", 12, "students")
                """),
            std("rawequal", "Whether two values are equal without calling `__eq`.",
                [p("a", "any", "A value."), p("b", "any", "Another.")], [r("boolean", "True if primitively equal.")],
                """
                print(rawequal(today(), today()))  --> false (two objects)
                """),
            std("rawlen", "The length of a table or string without calling `__len`.",
                [p("v", "table|string", "The value.")], [r("integer", "The length.")],
                """
                print(rawlen({ 1, 2, 3 }))  --> 3
                """),
            std("rawget", "`t[k]` without calling `__index`.",
                [p("t", "table", "The table."), p("k", "any", "The key.")], [r("any", "The value.")],
                """
                local v = rawget({ a = 1 }, "a")
                """),
            std("select", "With a number `n`: the arguments from the n-th on; with \"#\": how many arguments there are.",
                [p("n", "integer|\"#\"", "An index (negative counts from the end) or \"#\"."), p("...", "any", "The arguments.")],
                [r("any", "The selected arguments, or the count.")],
                """
                local count = select("#", 1, nil, 3)  --> 3
                """),
            std("tonumber", "Converts text to a number, or nil if it is not one (with a base 2–36 for integers in text).",
                [p("v", "any", "The value."), p("base", "integer", "The base for text digits.", optional: true)],
                [r("number?", "The number, or nil.")],
                """
                local n = tonumber("42")   --> 42
                local bad = tonumber("4x") --> nil
                """),
            std("tostring", "Converts a value to text (host objects show themselves: a date as 2025-03-01).",
                [p("v", "any", "The value.")], [r("string", "The text.")],
                """
                print("due " .. tostring(today() + days(15)))
                """),
            std("type", "The type of a value: nil, boolean, number, string, table, function or userdata (host objects).",
                [p("v", "any", "The value.")], [r("string", "The type name.")],
                """
                if type(params.year) == "number" then print(params.year) end
                """),
        ],
        libraries: [
            APILibrary("string", className: "string", "Text functions (also as methods: `s:upper()`). Lengths and positions count bytes: a Chinese character is 3 bytes (use `utf8.len`).", functions: [
                std("byte", "The byte values of characters i to j.",
                    [p("s", "string", "The text."), p("i", "integer", "Start (default 1).", optional: true), p("j", "integer", "End (default i).", optional: true)],
                    [r("integer", "The byte values.")], """
                    print(string.byte("A"))  --> 65
                    """),
                std("char", "Text made of the given byte values.",
                    [p("...", "integer", "Byte values.")], [r("string", "The text.")], """
                    print(string.char(72, 105))  --> Hi
                    """),
                std("format", "Formats values like C's printf: %d, %s, %5.1f, %q, %x, %%.",
                    [p("fmt", "string", "The format."), p("...", "any", "The values.")], [r("string", "The text.")], """
                    print(string.format("%s: %d members, %.1f%%", "儒林镇", 812, 81.25))
                    """),
                std("len", "The length in bytes.",
                    [p("s", "string", "The text.")], [r("integer", "Bytes.")], """
                    print(("abc"):len())  --> 3
                    """),
                std("lower", "The text in lower case (ASCII letters).",
                    [p("s", "string", "The text.")], [r("string", "Lower case.")], """
                    local code = string.lower("JT-HOME-01")
                    """),
                std("reverse", "The bytes in reverse order.",
                    [p("s", "string", "The text.")], [r("string", "Reversed.")], """
                    print(string.reverse("abc"))  --> cba
                    """),
                std("sub", "The part from byte i to byte j (negative counts from the end).",
                    [p("s", "string", "The text."), p("i", "integer", "Start."), p("j", "integer", "End (default -1).", optional: true)],
                    [r("string", "The part.")], """
                    local year = string.sub("2025-03-01", 1, 4)  --> "2025"
                    """),
                std("upper", "The text in upper case (ASCII letters).",
                    [p("s", "string", "The text.")], [r("string", "Upper case.")], """
                    print(("q2"):upper())  --> Q2
                    """),
                std("rep", "The text repeated n times, with an optional separator (the result's size is checked first).",
                    [p("s", "string", "The text."), p("n", "integer", "How many times."), p("sep", "string", "Separator.", optional: true)],
                    [r("string", "The repetition.")], """
                    print(string.rep("-", 20))
                    """),
                std("find", "Finds a pattern (or plain text) in the text; sizes are capped.",
                    [p("s", "string", "The text."), p("pattern", "string", "A Lua pattern."),
                     p("init", "integer", "Where to start.", optional: true), p("plain", "boolean", "Plain text, no pattern.", optional: true)],
                    [r("integer?", "Start of the match, or nil."), r("integer?", "End of the match."), r("string", "Captures.")], """
                    if string.find("儒林镇", "镇", 1, true) then print("a town") end
                    """),
                std("match", "The first match of a pattern (its captures, or the whole match).",
                    [p("s", "string", "The text."), p("pattern", "string", "A Lua pattern."), p("init", "integer", "Where to start.", optional: true)],
                    [r("string?", "The captures, or nil.")], """
                    local y, q = string.match("2025-Q2", "^(%d+)%-Q(%d)$")
                    """),
                std("gmatch", "An iterator over every match of a pattern.",
                    [p("s", "string", "The text."), p("pattern", "string", "A Lua pattern.")],
                    [r("fun(): string", "The iterator.")], """
                    for word in string.gmatch("tuition living", "%a+") do print(word) end
                    """),
                std("gsub", "Replaces matches of a pattern; returns the new text and the number of replacements.",
                    [p("s", "string", "The text."), p("pattern", "string", "A Lua pattern."),
                     p("repl", "string|table|function", "The replacement."), p("n", "integer", "At most n replacements.", optional: true)],
                    [r("string", "The new text."), r("integer", "Replacements made.")], """
                    local clean = string.gsub("  王 芳 ", "%s", "")
                    """),
            ]),
            APILibrary("table", className: "table", "List functions.", functions: [
                std("concat", "Joins the list's strings and numbers with a separator (the result's size is checked first).",
                    [p("list", "table", "The list."), p("sep", "string", "Separator (default \"\").", optional: true),
                     p("i", "integer", "First index.", optional: true), p("j", "integer", "Last index.", optional: true)],
                    [r("string", "The joined text.")], """
                    print(table.concat({ "a", "b", "c" }, ", "))  --> a, b, c
                    """),
                std("insert", "Appends a value to a list, or inserts it at a position.",
                    [p("list", "table", "The list."), p("pos", "integer", "Position (default: the end).", optional: true), p("value", "any", "The value.")],
                    [], """
                    local names = {}
                    table.insert(names, "王芳")
                    """),
                std("pack", "The arguments as a list, with `n` = their number.",
                    [p("...", "any", "The values.")], [r("table", "{ ..., n = count }.")], """
                    local t = table.pack(1, nil, 3)  --> t.n == 3
                    """),
                std("remove", "Removes and returns an element of a list (default: the last).",
                    [p("list", "table", "The list."), p("pos", "integer", "Position.", optional: true)],
                    [r("any", "The removed value.")], """
                    local last = table.remove({ 1, 2, 3 })  --> 3
                    """),
                std("sort", "Sorts a list in place, by `<` or a comparison function.",
                    [p("list", "table", "The list."), p("less", "fun(a: any, b: any): boolean", "Comparison.", optional: true)],
                    [], """
                    local list = members{ student = true }:limit(20):list()
                    table.sort(list, function(a, b) return a.income < b.income end)
                    """),
                std("unpack", "The elements of a list as separate values.",
                    [p("list", "table", "The list."), p("i", "integer", "First index.", optional: true), p("j", "integer", "Last index.", optional: true)],
                    [r("any", "The elements.")], """
                    local a, b = table.unpack({ 1, 2 })
                    """),
            ]),
            APILibrary("math", className: "math", "Numbers. Money is integer fen: prefer `//` and `money.scale` to `/`, which makes floats.", functions: [
                math1("abs", "The absolute value.", "number", "print(math.abs(-5))  --> 5"),
                math1("acos", "Arc cosine (radians).", "number", "print(math.acos(1))  --> 0.0"),
                math1("asin", "Arc sine (radians).", "number", "print(math.asin(0))  --> 0.0"),
                std("atan", "Arc tangent of y/x (radians), using both signs for the quadrant.",
                    [p("y", "number", "y."), p("x", "number", "x (default 1).", optional: true)], [r("number", "The angle.")],
                    "print(math.atan(1, 1))"),
                math1("ceil", "The smallest integer ≥ x.", "integer", "print(math.ceil(2.1))  --> 3"),
                math1("cos", "Cosine (radians).", "number", "print(math.cos(0))  --> 1.0"),
                math1("deg", "Radians to degrees.", "number", "print(math.deg(math.pi))  --> 180.0"),
                math1("exp", "e to the power x.", "number", "print(math.exp(0))  --> 1.0"),
                math1("floor", "The largest integer ≤ x.", "integer", "print(math.floor(2.9))  --> 2"),
                std("fmod", "The remainder of x / y, rounded towards zero.",
                    [p("x", "number", "Dividend."), p("y", "number", "Divisor.")], [r("number", "The remainder.")],
                    "print(math.fmod(7, 3))  --> 1"),
                std("log", "The logarithm of x (natural, or to a base).",
                    [p("x", "number", "The number."), p("base", "number", "The base (default e).", optional: true)],
                    [r("number", "The logarithm.")], "print(math.log(100, 10))  --> 2.0"),
                std("max", "The largest argument.",
                    [p("x", "number", "A number."), p("...", "number", "More numbers.")], [r("number", "The maximum.")],
                    "print(math.max(3, 9, 4))  --> 9"),
                std("min", "The smallest argument.",
                    [p("x", "number", "A number."), p("...", "number", "More numbers.")], [r("number", "The minimum.")],
                    "local pay = math.min(yuan(2000), budget(\"relief-2025\"):available())"),
                math1("modf", "The integral and fractional parts of x.", "number", "local whole, frac = math.modf(3.25)  --> 3.0 0.25"),
                math1("rad", "Degrees to radians.", "number", "print(math.rad(180))"),
                std("random", "A pseudo-random float in [0,1), or integer in [1,m] or [m,n]. Avoid it where results must be reproducible.",
                    [p("m", "integer", "Upper bound, or lower bound with n.", optional: true), p("n", "integer", "Upper bound.", optional: true)],
                    [r("number", "The number.")], "local dice = math.random(6)"),
                std("randomseed", "Seeds the pseudo-random generator.",
                    [p("x", "integer", "The seed.", optional: true), p("y", "integer", "A second seed part.", optional: true)],
                    [], "math.randomseed(2025)"),
                math1("sin", "Sine (radians).", "number", "print(math.sin(0))  --> 0.0"),
                math1("sqrt", "The square root.", "number", "print(math.sqrt(16))  --> 4.0"),
                math1("tan", "Tangent (radians).", "number", "print(math.tan(0))  --> 0.0"),
                std("tointeger", "x as an integer if it has an exact integer value, else nil.",
                    [p("x", "any", "The value.")], [r("integer?", "The integer, or nil.")],
                    "print(math.tointeger(3.0), math.tointeger(3.5))  --> 3 nil"),
                std("type", "\"integer\", \"float\", or nil when x is not a number.",
                    [p("x", "any", "The value.")], [r("string?", "The number's subtype.")],
                    "assert(math.type(yuan(12.5)) == \"integer\")"),
                std("ult", "Whether m < n as unsigned integers.",
                    [p("m", "integer", "m."), p("n", "integer", "n.")], [r("boolean", "The comparison.")],
                    "print(math.ult(1, -1))  --> true"),
                std("atan2", "Lua 5.2 compatibility: the same as math.atan(y, x).",
                    [p("y", "number", "y."), p("x", "number", "x.")], [r("number", "The angle.")],
                    "print(math.atan2(1, 1))"),
                math1("cosh", "Lua 5.2 compatibility: hyperbolic cosine.", "number", "print(math.cosh(0))  --> 1.0"),
                math1("frexp", "Lua 5.2 compatibility: mantissa m and exponent e with x = m × 2^e.", "number", "local m, e = math.frexp(8)  --> 0.5 4"),
                std("ldexp", "Lua 5.2 compatibility: m × 2^e.",
                    [p("m", "number", "Mantissa."), p("e", "integer", "Exponent.")], [r("number", "The result.")],
                    "print(math.ldexp(0.5, 4))  --> 8.0"),
                math1("log10", "Lua 5.2 compatibility: the base-10 logarithm (use math.log(x, 10)).", "number", "print(math.log10(1000))  --> 3.0"),
                std("pow", "Lua 5.2 compatibility: x ^ y.",
                    [p("x", "number", "Base."), p("y", "number", "Exponent.")], [r("number", "The power.")],
                    "print(math.pow(2, 10))  --> 1024.0"),
                math1("sinh", "Lua 5.2 compatibility: hyperbolic sine.", "number", "print(math.sinh(0))  --> 0.0"),
                math1("tanh", "Lua 5.2 compatibility: hyperbolic tangent.", "number", "print(math.tanh(0))  --> 0.0"),
            ], constants: [
                .init("huge", "number", "Infinity (a float larger than any other number)."),
                .init("maxinteger", "integer", "The largest integer, 9223372036854775807."),
                .init("mininteger", "integer", "The smallest integer, -9223372036854775808."),
                .init("pi", "number", "π."),
            ]),
            APILibrary("utf8", className: "utf8", "UTF-8 text: counting and cutting Chinese text by characters rather than bytes.", functions: [
                std("char", "Text from Unicode code points.",
                    [p("...", "integer", "Code points.")], [r("string", "The text.")],
                    "print(utf8.char(37329, 22363))  --> 金坛"),
                std("codepoint", "The code points of the characters between byte positions i and j.",
                    [p("s", "string", "The text."), p("i", "integer", "Start byte (default 1).", optional: true), p("j", "integer", "End byte (default i).", optional: true)],
                    [r("integer", "The code points.")], "print(utf8.codepoint(\"金\"))  --> 37329"),
                std("len", "The number of characters (nil and the position of the first invalid byte if not UTF-8).",
                    [p("s", "string", "The text."), p("i", "integer", "Start byte.", optional: true), p("j", "integer", "End byte.", optional: true)],
                    [r("integer?", "Characters.")], "print(utf8.len(\"儒林镇\"))  --> 3"),
                std("offset", "The byte position where the n-th character starts.",
                    [p("s", "string", "The text."), p("n", "integer", "Which character."), p("i", "integer", "Start byte.", optional: true)],
                    [r("integer?", "The byte position.")], "local second = utf8.offset(\"儒林镇\", 2)  --> 4"),
            ], constants: [
                .init("charpattern", "string", "The pattern matching one UTF-8 character, for `gmatch`."),
            ]),
            APILibrary("os", className: "os", "Clock and calendar time only (no files, processes or environment). Prefer `today()` and dates.", functions: [
                std("clock", "Processor time used by the program, in seconds.", [], [r("number", "Seconds.")],
                    "local started = os.clock()"),
                std("date", "Formats a time (default: now) like C's strftime, or as a table with \"*t\".",
                    [p("format", "string", "The format, e.g. \"%Y-%m-%d\".", optional: true), p("time", "integer", "Seconds since the epoch.", optional: true)],
                    [r("string|table", "The text or table.")], "print(os.date(\"%Y-%m-%d %H:%M\"))"),
                std("difftime", "The seconds between two times.",
                    [p("t2", "integer", "The later time."), p("t1", "integer", "The earlier time.", optional: true)],
                    [r("number", "Seconds.")], "local elapsed = os.difftime(os.time(), os.time{ year = 2025, month = 1, day = 1 })"),
                std("time", "The current time, or the time of a date table, in seconds since the epoch.",
                    [p("t", "table", "{ year =, month =, day =, hour = ... }.", optional: true)],
                    [r("integer", "Seconds.")], "local now = os.time()"),
            ]),
        ],
        values: [
            APIValue("_VERSION", type: "string", "The Lua version, \"Lua 5.4\".", example: "print(_VERSION)  --> Lua 5.4"),
        ],
        inEditorDefinitions: false
    )
}
