import CLua
import LuaRuntime
import StewardCore

/// Money in scripts is a Lua integer of fen: exact, comparable with `<`, summable with `+`.
/// These functions make and show such integers.
enum MoneyBindings {
    static func install(_ state: LuaState) {
        state.register("yuan") { call in
            call.push(try fenValue(call, 1, asYuan: true))
            return 1
        }
        state.register("fen") { call in
            call.push(try fenValue(call, 1, asYuan: false))
            return 1
        }
        state.register("format", in: "money") { call in
            call.push(Money(fen: try amount(call, 1)).formatted())
            return 1
        }
        state.register("yuan", in: "money") { call in
            call.push(try fenValue(call, 1, asYuan: true))
            return 1
        }
        // Exact share of an amount: amount × numerator ÷ denominator, rounded half up to the fen.
        state.register("scale", in: "money") { call in
            let value = Money(fen: try amount(call, 1))
            let numerator = try call.integer(2)
            let denominator = try call.integer(3)
            guard denominator != 0 else { throw call.argumentError(3, "denominator must not be zero") }
            do {
                call.push(try value.scaled(numerator: numerator, denominator: denominator).fen)
            } catch {
                throw LuaScriptError("money.scale: \(error)")
            }
            return 1
        }
        state.register("parse", in: "money") { call in
            do {
                call.push(try Money.parse(try call.string(1)).fen)
            } catch {
                throw LuaScriptError("\(error)")
            }
            return 1
        }
    }

    /// An amount argument in fen: an integer (floats are refused: money is never floating point).
    static func amount(_ call: LuaCall, _ i: Int32) throws -> Int64 {
        // The type by number, not by name: a name is a String made per grant.
        guard lua_type(call.L, i) == LUA_TNUMBER else {
            throw call.argumentError(i, "amount in fen expected, got \(call.typeName(i))")
        }
        guard let value = try? call.integer(i) else {
            throw call.argumentError(i, "amount must be a whole number of fen (use yuan(12.5) to convert)")
        }
        return value
    }

    /// `yuan(1234.56)`, `yuan("¥1,234.56")`, `yuan(7000)` → fen; `fen(123)` → 123.
    static func fenValue(_ call: LuaCall, _ i: Int32, asYuan: Bool) throws -> Int64 {
        let function = asYuan ? "yuan" : "fen"
        // The type by number, not by name: `yuan(…)` is called per grant, and a name is a
        // String made and compared per call (more than the rest of the call).
        switch lua_type(call.L, i) {
        case LUA_TSTRING:
            guard asYuan else { throw call.argumentError(i, "integer expected, got string") }
            do { return try Money.parse(try call.string(i)).fen } catch { throw LuaScriptError("\(function): \(error)") }
        case LUA_TNUMBER:
            if let n = call.exactInteger(i) {
                if !asYuan { return n }
                let (r, overflow) = n.multipliedReportingOverflow(by: 100)
                guard !overflow else { throw LuaScriptError("\(function)(\(n)) is too large an amount") }
                return r
            }
            let d = try call.number(i)
            guard asYuan else { throw call.argumentError(i, "fen must be a whole number, got \(d)") }
            // Decimal text of the float, then exact parsing: 12.5 → "12.5" → 1250 fen;
            // 12.345 is refused rather than rounded.
            let text = shortest(d)
            do { return try Money.parse(text).fen } catch { throw LuaScriptError("\(function)(\(text)): \(error)") }
        default:
            throw call.argumentError(i, "number or string expected, got \(call.typeName(i))")
        }
    }

    static func shortest(_ d: Double) -> String {
        var text = "\(d)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
