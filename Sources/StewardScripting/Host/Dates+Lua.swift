import CLua
import LuaRuntime
import StewardCore

/// A calendar date as scripts see it: `date"2025-03-01"`, `today()`, compared with `<`,
/// moved with `+ days(30)` or `+ months(1)`, subtracted to a number of days.
final class DateBox {
    let date: CivilDate
    init(_ date: CivilDate) { self.date = date }
}

/// A span for date arithmetic: `days(30)`, `months(1)`, `years(80)`.
final class SpanBox {
    let days: Int
    let months: Int
    init(days: Int = 0, months: Int = 0) {
        self.days = days
        self.months = months
    }
}

/// A month, quarter or year: `period"2025-Q2"`, `quarter(today())`.
final class PeriodBox {
    let period: Period
    init(_ period: Period) { self.period = period }
}

/// The Lua types for dates, spans and periods, shared by every binding that returns them.
final class DateTypes {
    let date = LuaType<DateBox>("date")
    let span = LuaType<SpanBox>("span")
    let period = LuaType<PeriodBox>("period")
    /// The last period text parsed from an option, and its period; the last period written
    /// out, and its text. A run names one period in every grant's options and keys, and
    /// parsing it each time was 1 % of a 26,707-grant run, formatting it 1.4 %.
    var lastParsedPeriod: (text: String, period: Period)?
    private var lastFormattedPeriod: (period: Period, text: String)?

    /// Pushes `day` as a date. One userdata per date while scripts hold it (see
    /// ``LuaCall/push(interned:as:_:)``): a reminder loop reads each member's expiry twice,
    /// and a new box with a finalizer per read was a fifth of the loop's work.
    func push(_ day: CivilDate, _ call: LuaCall) { Self.push(day, as: date, call) }

    static func push(_ day: CivilDate, as type: LuaType<DateBox>, _ call: LuaCall) {
        call.push(interned: Int64(day.daysSinceEpoch), as: type) { DateBox(day) }
    }

    /// `period.description`, kept from the last call.
    func text(of period: Period) -> String {
        if let last = lastFormattedPeriod, last.period == period { return last.text }
        let text = period.description
        lastFormattedPeriod = (period, text)
        return text
    }

    init() {
        let date = self.date, span = self.span, period = self.period
        date.describe = { $0.date.iso }
        date.property("year") { .integer(Int64($0.date.year)) }
        date.property("month") { .integer(Int64($0.date.month)) }
        date.property("day") { .integer(Int64($0.date.day)) }
        date.property("weekday") { .integer(Int64($0.date.weekday.rawValue)) }
        date.method("add_days") { box, call in
            DateTypes.push(try DateTypes.moved(box.date, days: Int(try call.integer(2))), as: date, call); return 1
        }
        date.method("add_months") { box, call in
            DateTypes.push(try DateTypes.moved(box.date, months: Int(try call.integer(2))), as: date, call); return 1
        }
        date.method("days_until") { box, call in
            call.push(box.date.days(until: try call.object(2, date).date)); return 1
        }
        date.method("iso") { box, call in call.push(box.date.iso); return 1 }
        date.method("month_end") { box, call in DateTypes.push(box.date.lastOfMonth, as: date, call); return 1 }
        date.metamethod("__eq") { call in
            call.push(call.optionalObject(1, date)?.date == call.optionalObject(2, date)?.date); return 1
        }
        date.metamethod("__lt") { call in
            let (a, b) = try DateTypes.pair(call, date)
            call.push(a < b); return 1
        }
        date.metamethod("__le") { call in
            let (a, b) = try DateTypes.pair(call, date)
            call.push(a <= b); return 1
        }
        date.metamethod("__add") { call in
            let (d, s) = try DateTypes.dateAndSpan(call, date, span)
            DateTypes.push(try DateTypes.moved(d, days: s.days, months: s.months), as: date, call); return 1
        }
        date.metamethod("__sub") { call in
            guard let a = call.optionalObject(1, date) else { throw LuaScriptError("cannot subtract a date from a \(call.typeName(1))") }
            if let b = call.optionalObject(2, date) {
                call.push(b.date.days(until: a.date)); return 1
            }
            guard let s = call.optionalObject(2, span) else {
                throw LuaScriptError("a date minus a \(call.typeName(2)): use days(n) or months(n), or another date")
            }
            DateTypes.push(try DateTypes.moved(a.date, days: -s.days, months: -s.months), as: date, call); return 1
        }
        date.metamethod("__concat") { call in
            call.push(DateTypes.text(call, 1, date) + DateTypes.text(call, 2, date)); return 1
        }

        span.describe = { s in s.months != 0 ? "\(s.months) months" : "\(s.days) days" }
        span.property("days") { .integer(Int64($0.days)) }
        span.property("months") { .integer(Int64($0.months)) }
        span.metamethod("__add") { call in
            guard let a = call.optionalObject(1, span) else {
                // number + span is meaningless; date + span is handled by the date's __add
                throw LuaScriptError("cannot add a span to a \(call.typeName(1))")
            }
            if let b = call.optionalObject(2, span) {
                call.push(SpanBox(days: a.days + b.days, months: a.months + b.months), as: span); return 1
            }
            let (d, s) = try DateTypes.dateAndSpan(call, date, span)
            DateTypes.push(try DateTypes.moved(d, days: s.days, months: s.months), as: date, call); return 1
        }

        period.describe = { $0.period.description }
        period.property("kind") { .init($0.period.kind.rawValue) }
        period.property("year") { .integer(Int64($0.period.year)) }
        period.property("number") { .integer(Int64($0.period.number)) }
        period.property("first_day", push: { box, call in DateTypes.push(box.period.firstDay, as: date, call) })
        period.property("last_day", push: { box, call in DateTypes.push(box.period.lastDay, as: date, call) })
        period.method("contains") { box, call in call.push(box.period.contains(try call.object(2, date).date)); return 1 }
        period.method("next") { box, call in
            do { call.push(PeriodBox(try box.period.next()), as: period) } catch { throw LuaScriptError("\(error)") }
            return 1
        }
        period.metamethod("__eq") { call in
            call.push(call.optionalObject(1, period)?.period == call.optionalObject(2, period)?.period); return 1
        }
        period.metamethod("__concat") { call in
            call.push(DateTypes.text(call, 1, period) + DateTypes.text(call, 2, period)); return 1
        }
    }

    func install(_ state: LuaState, today: CivilDate) {
        state.registerType(date)
        state.registerType(span)
        state.registerType(period)
        let date = self.date, span = self.span, period = self.period
        state.register("today") { call in DateTypes.push(today, as: date, call); return 1 }
        state.register("date") { call in
            let text = try call.string(1)
            do { DateTypes.push(try CivilDate(parsing: text), as: date, call) } catch {
                throw LuaScriptError("date \"\(text)\": \(error)")
            }
            return 1
        }
        state.register("days") { call in call.push(SpanBox(days: Int(try call.integer(1))), as: span); return 1 }
        state.register("months") { call in call.push(SpanBox(months: Int(try call.integer(1))), as: span); return 1 }
        state.register("years") { call in
            call.push(SpanBox(months: Int(try call.integer(1)) * 12), as: span); return 1
        }
        state.register("period") { call in
            call.push(PeriodBox(try DateTypes.period(call, 1, self)), as: period); return 1
        }
        for kind in [Period.Kind.month, .quarter, .year] {
            state.register(kind.rawValue) { call in
                let d = call.isNil(1) ? today : try call.object(1, date).date
                call.push(PeriodBox(Period.containing(d, kind: kind)), as: period); return 1
            }
        }
        state.register("age") { call in
            let born = try call.object(1, date).date
            let on = call.isNil(2) ? today : try call.object(2, date).date
            call.push(born.age(on: on)); return 1
        }
    }

    /// A period argument: a period object, `"2025-Q2"`, `"2025-03"`, `"2025"` or `2025`.
    static func period(_ call: LuaCall, _ i: Int32, _ types: DateTypes) throws -> Period {
        if let box = call.optionalObject(i, types.period) { return box.period }
        // The same text as the last period read (a run's every grant names one): no type name
        // made, no second copy of the text, no parse.
        if let last = types.lastParsedPeriod, let text = LuaStackText.string(call.L, i), last.text == text {
            return last.period
        }
        let text: String
        switch lua_type(call.L, i) {
        case LUA_TNUMBER: text = String(try call.integer(i))
        case LUA_TSTRING: text = try call.string(i)
        default: throw call.argumentError(i, "period expected (e.g. \"2025-Q2\", \"2025-03\", 2025), got \(call.typeName(i))")
        }
        guard let p = Period(text) else {
            throw LuaScriptError("'\(text)' is not a period: write 2025, \"2025-Q2\" or \"2025-03\"")
        }
        types.lastParsedPeriod = (text, p)
        return p
    }

    static func moved(_ d: CivilDate, days: Int = 0, months: Int = 0) throws -> CivilDate {
        do { return try d.adding(months: months).adding(days: days) } catch { throw LuaScriptError("\(error)") }
    }

    static func pair(_ call: LuaCall, _ type: LuaType<DateBox>) throws -> (CivilDate, CivilDate) {
        guard let a = call.optionalObject(1, type), let b = call.optionalObject(2, type) else {
            throw LuaScriptError("cannot compare a date with a \(call.optionalObject(1, type) == nil ? call.typeName(1) : call.typeName(2)) (use date\"YYYY-MM-DD\")")
        }
        return (a.date, b.date)
    }

    static func dateAndSpan(_ call: LuaCall, _ date: LuaType<DateBox>, _ span: LuaType<SpanBox>) throws -> (CivilDate, SpanBox) {
        if let d = call.optionalObject(1, date), let s = call.optionalObject(2, span) { return (d.date, s) }
        if let s = call.optionalObject(1, span), let d = call.optionalObject(2, date) { return (d.date, s) }
        throw LuaScriptError("a date can only be moved by days(n), months(n) or years(n)")
    }

    static func text<T: AnyObject>(_ call: LuaCall, _ i: Int32, _ type: LuaType<T>) -> String {
        if let obj = call.optionalObject(i, type) { return type.describe?(obj) ?? type.name }
        return (try? call.string(i)) ?? ((try? call.integer(i)).map(String.init) ?? call.typeName(i))
    }
}
