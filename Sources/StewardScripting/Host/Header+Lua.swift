import Foundation
import LuaRuntime
import StewardCore

/// `script{ name =, title =, idempotent =, params = { year = { type = "integer", default = 2025 } } }`
/// declares a script and its parameters; `params` then holds the typed values given with
/// `--param name=value` (or the defaults). `run` tells the script about the run itself.
final class HeaderBindings {
    unowned let context: HostContext
    let dates: DateTypes
    /// `--param` values as given on the command line, still text.
    let given: [String: String]
    /// When true, `script{}` validates the header and stops the run (for `steward check`).
    let headerOnly: Bool
    static let headerCheckedMarker = "script header checked"

    init(context: HostContext, dates: DateTypes, given: [String: String], headerOnly: Bool) {
        self.context = context
        self.dates = dates
        self.given = given
        self.headerOnly = headerOnly
    }

    func install(_ state: LuaState, dryRun: Bool) {
        state.register("script") { [unowned self] call in
            guard context.header == nil else { throw LuaScriptError("script{} may appear only once") }
            let header = try parseHeader(try call.table(1))
            context.header = header
            try pushParams(header, call)
            call.state.setGlobalFromTop("params")
            if headerOnly { throw LuaHostLimitError(Self.headerCheckedMarker) }
            return 0
        }
        // Without a header, `params` is empty and any --param is an error at the end of the run.
        try? state.setGlobal("params", .table(LuaTable()))
        var run = LuaTable()
        run["today"] = .init(context.today.iso)
        run["user"] = .init(context.actor.userName)
        run["dry_run"] = .boolean(dryRun)
        if let text = context.slotText {
            run["slot"] = .init(text)
        } else if let slot = context.slot {
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(identifier: "Asia/Shanghai")
            run["slot"] = .init(f.string(from: slot))
        }
        try? state.setGlobal("run", .table(run))
    }

    func parseHeader(_ t: LuaTable) throws -> ScriptHeader {
        for key in t.entries.keys {
            guard let k = key.stringValue, ["name", "title", "params", "idempotent"].contains(k) else {
                throw LuaScriptError("script{}: unknown field \(LuaValueText.describe(key)) (fields: name, title, params, idempotent)")
            }
        }
        guard let name = t["name"].stringValue, !name.isEmpty else { throw LuaScriptError("script{}: name is required, e.g. name = \"relief-grants\"") }
        let title = t["title"].stringValue ?? name
        var specs: [ScriptHeader.ParameterSpec] = []
        if t["params"] != .nil {
            guard let params = t["params"].tableValue, let dict = params.dictionary else {
                throw LuaScriptError("script{}: params must be a table of name = { type = ..., default = ... }")
            }
            for (pname, spec) in dict.sorted(by: { $0.key < $1.key }) {
                guard let s = spec.tableValue else { throw LuaScriptError("script{}: param '\(pname)' must be a table like { type = \"integer\" }") }
                let typeName = s["type"].stringValue ?? "string"
                guard let kind = ScriptHeader.ParameterSpec.Kind(rawValue: typeName) else {
                    throw LuaScriptError("script{}: param '\(pname)' has unknown type '\(typeName)' (types: \(ScriptHeader.ParameterSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                var defaultText: String?
                switch s["default"] {
                case .nil: defaultText = nil
                case .integer(let i): defaultText = String(i)
                case .number(let d): defaultText = String(d)
                case .boolean(let b): defaultText = String(b)
                case .string(let str): defaultText = str.description
                default: throw LuaScriptError("script{}: param '\(pname)' default must be a number, string or boolean")
                }
                if let defaultText { _ = try convert(defaultText, kind, pname, source: "default") }
                specs.append(.init(name: pname, kind: kind, defaultText: defaultText,
                                   required: s["required"].boolValue ?? (defaultText == nil), help: s["help"].stringValue))
            }
        }
        return ScriptHeader(name: name, title: title, idempotent: t["idempotent"].boolValue ?? false, parameters: specs)
    }

    /// Pushes the `params` table: each declared parameter, typed.
    func pushParams(_ header: ScriptHeader, _ call: LuaCall) throws {
        let declared = Set(header.parameters.map(\.name))
        for name in given.keys.sorted() where !declared.contains(name) {
            throw LuaScriptError("unknown parameter '\(name)' (declared: \(declared.sorted().joined(separator: ", ")))", withPosition: false)
        }
        lua_createtable_(call, 0)
        for spec in header.parameters {
            guard let text = given[spec.name] ?? spec.defaultText else {
                throw LuaScriptError("parameter '\(spec.name)' is required: give --param \(spec.name)=VALUE", withPosition: false)
            }
            try pushConverted(text, spec.kind, spec.name, call)
            lua_setfield_(call, spec.name)
        }
    }

    func pushConverted(_ text: String, _ kind: ScriptHeader.ParameterSpec.Kind, _ name: String, _ call: LuaCall) throws {
        switch try convert(text, kind, name, source: "--param") {
        case .date(let d): dates.push(d, call)
        case .period(let p): call.push(PeriodBox(p), as: dates.period)
        case .value(let v): try call.push(v)
        }
    }

    enum Converted { case value(LuaValue), date(CivilDate), period(Period) }

    /// Converts parameter text to its declared type, or a clear error naming it.
    func convert(_ text: String, _ kind: ScriptHeader.ParameterSpec.Kind, _ name: String, source: String) throws -> Converted {
        func bad(_ what: String) -> LuaScriptError {
            LuaScriptError("\(source) \(name)=\(text): \(what)", withPosition: false)
        }
        switch kind {
        case .integer:
            guard let i = Int64(text.trimmingCharacters(in: .whitespaces)) else { throw bad("not a whole number") }
            return .value(.integer(i))
        case .number:
            // Surrounding spaces are allowed, as for every other typed parameter.
            guard let d = Double(text.trimmingCharacters(in: .whitespaces)), d.isFinite else {
                throw bad("not a finite number")
            }
            return .value(.number(d))
        case .string:
            return .value(.init(text))
        case .boolean:
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "yes", "1": return .value(.boolean(true))
            case "false", "no", "0": return .value(.boolean(false))
            default: throw bad("not true or false")
            }
        case .money:
            do { return .value(.integer(try Money.parse(text).fen)) } catch { throw bad("\(error)") }
        case .date:
            do { return .date(try CivilDate(parsing: text)) } catch { throw bad("\(error)") }
        case .period:
            guard let p = Period(text) else { throw bad("not a period (2025, 2025-Q2, 2025-03)") }
            return .period(p)
        }
    }
}
