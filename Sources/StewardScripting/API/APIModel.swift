/// The shapes of the API catalogue: plain data that the reference page, the LuaLS definitions
/// and `steward check` are generated from, and that a test compares with what a real state
/// exposes. Types are written in LuaLS syntax (`integer`, `string?`, `Member|Facility`,
/// `table<string, integer>`), so the same text serves the docs and the editor definitions.

/// One parameter of a function, or one field of an option table.
public struct APIParameter: Sendable, Hashable {
    /// The name; `...` for a variadic tail.
    public var name: String
    public var type: String
    public var summary: String
    public var optional: Bool

    public init(_ name: String, _ type: String, _ summary: String, optional: Bool = false) {
        self.name = name
        self.type = type
        self.summary = summary
        self.optional = optional
    }
}

/// One return value.
public struct APIReturn: Sendable, Hashable {
    public var type: String
    public var summary: String

    public init(_ type: String, _ summary: String) {
        self.type = type
        self.summary = summary
    }
}

/// A function a script can call: a global (`yuan`), a library function (`money.format`, named
/// here by its short name inside its library) or a method of a type (`has_tag`).
public struct APIFunction: Sendable, Hashable {
    public var name: String
    /// One line: what it does.
    public var summary: String
    public var parameters: [APIParameter]
    public var returns: [APIReturn]
    /// A few lines of Lua showing a typical call (compiled by a test).
    public var example: String

    public init(_ name: String, _ summary: String, parameters: [APIParameter] = [], returns: [APIReturn] = [],
                example: String) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.returns = returns
        self.example = example
    }

    /// `(amount [, opts])`: the parameter list as the reference shows it.
    public var parameterList: String {
        var text = ""
        var open = 0
        for (i, p) in parameters.enumerated() {
            if p.optional && p.name != "..." {
                text += (i == 0 ? "[" : " [, ") + p.name
                open += 1
            } else {
                text += (i == 0 ? "" : ", ") + p.name
            }
        }
        return "(" + text + String(repeating: "]", count: open) + ")"
    }

    /// ` → integer` or ` → Member[], Member[], integer`; empty when nothing is returned.
    public var returnList: String {
        returns.isEmpty ? "" : " → " + returns.map(\.type).joined(separator: ", ")
    }
}

/// A read-only property of a type, a constant of a library or a field of a value.
public struct APIField: Sendable, Hashable {
    public var name: String
    public var type: String
    public var summary: String

    public init(_ name: String, _ type: String, _ summary: String) {
        self.name = name
        self.type = type
        self.summary = summary
    }
}

/// An operator a type supports (`date + days(3)`, `a < b`).
public struct APIOperator: Sendable, Hashable {
    public var expression: String
    public var type: String
    public var summary: String
    /// LuaLS `---@operator` annotations (`add(Span): Date`); comparisons have none.
    public var annotations: [String]

    public init(_ expression: String, _ type: String, _ summary: String, luaLS annotations: [String] = []) {
        self.expression = expression
        self.type = type
        self.summary = summary
        self.annotations = annotations
    }
}

/// An object type scripts receive: a host userdata (`member`, `budget`, ...) or a table the
/// Lua library makes (`tiers`).
public struct APIType: Sendable, Hashable {
    public enum Origin: String, Sendable, Hashable {
        /// A `LuaType` registered by the host: its members are checked against the state.
        case host
        /// A table with methods made by Stdlib/*.lua: its methods are checked against the source.
        case stdlib
    }

    /// The name Lua reports (`tostring`, error messages): `member`, `members`, `date`.
    public var name: String
    /// The LuaLS class name used in types: `Member`, `MemberQuery`, `Date`.
    public var className: String
    public var summary: String
    public var origin: Origin
    public var fields: [APIField]
    public var methods: [APIFunction]
    public var operators: [APIOperator]
    public var example: String

    public init(_ name: String, className: String, _ summary: String, origin: Origin = .host, fields: [APIField] = [],
                methods: [APIFunction] = [], operators: [APIOperator] = [], example: String) {
        self.name = name
        self.className = className
        self.summary = summary
        self.origin = origin
        self.fields = fields
        self.methods = methods
        self.operators = operators
        self.example = example
    }

    /// Every name `obj.x` / `obj:x()` can use.
    public var memberNames: Set<String> { Set(fields.map(\.name) + methods.map(\.name)) }
}

/// A global table of functions: `money`, `allocate`, `string`.
public struct APILibrary: Sendable, Hashable {
    public var name: String
    /// The LuaLS class describing the table (`steward.money`).
    public var className: String
    public var summary: String
    public var functions: [APIFunction]
    public var constants: [APIField]

    public init(_ name: String, className: String? = nil, _ summary: String, functions: [APIFunction],
                constants: [APIField] = []) {
        self.name = name
        self.className = className ?? "steward.\(name)"
        self.summary = summary
        self.functions = functions
        self.constants = constants
    }

    public var memberNames: Set<String> { Set(functions.map(\.name) + constants.map(\.name)) }
}

/// A global that is a value rather than a function: `params`, `run`, `_VERSION`.
public struct APIValue: Sendable, Hashable {
    public var name: String
    /// A LuaLS type; for a table with known fields, the class of those fields.
    public var type: String
    public var summary: String
    /// Known fields (for a table). Empty for a table whose fields the script declares.
    public var fields: [APIField]
    public var example: String

    public init(_ name: String, type: String, _ summary: String, fields: [APIField] = [], example: String) {
        self.name = name
        self.type = type
        self.summary = summary
        self.fields = fields
        self.example = example
    }
}

/// The keys a table argument accepts (`members{ town =, tag = }`), as a LuaLS class so editors
/// complete them inside the braces.
public struct APIOptionTable: Sendable, Hashable {
    public var className: String
    public var summary: String
    public var fields: [APIParameter]

    public init(_ className: String, _ summary: String, fields: [APIParameter]) {
        self.className = className
        self.summary = summary
        self.fields = fields
    }

    public var keyNames: Set<String> { Set(fields.map(\.name)) }
}

/// A chapter of the reference: money, dates, members, ...
public struct APITopic: Sendable, Hashable {
    public var id: String
    public var title: String
    public var summary: String
    public var functions: [APIFunction]
    public var libraries: [APILibrary]
    public var values: [APIValue]
    public var types: [APIType]
    public var optionTables: [APIOptionTable]
    /// False for standard Lua, which editors already know: it is documented in the reference
    /// (as the sandbox allows it) but not redefined in `steward.d.lua`.
    public var inEditorDefinitions: Bool

    public init(id: String, title: String, summary: String, functions: [APIFunction] = [],
                libraries: [APILibrary] = [], values: [APIValue] = [], types: [APIType] = [],
                optionTables: [APIOptionTable] = [], inEditorDefinitions: Bool = true) {
        self.id = id
        self.title = title
        self.summary = summary
        self.functions = functions
        self.libraries = libraries
        self.values = values
        self.types = types
        self.optionTables = optionTables
        self.inEditorDefinitions = inEditorDefinitions
    }
}
