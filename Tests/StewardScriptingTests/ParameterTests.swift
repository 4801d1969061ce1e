import Foundation
import StewardCore
import Testing
@testable import StewardScripting

/// Script parameters: declared in the header, given as `--param name=value`, typed and
/// validated before the script does anything.
@Suite("Script parameters")
struct ParameterTests {
    static let header = """
        script {
          name = "params-test",
          params = {
            year = { type = "integer", default = 2025 },
            month = { type = "period", default = "2025-06" },
            on = { type = "date", default = "2025-06-15" },
            amount = { type = "money", default = "100" },
            dry = { type = "boolean", default = false },
            label = { type = "string", default = "x" },
          },
        }

        """

    @Test("surrounding spaces are allowed for every typed parameter, booleans and numbers too")
    func spacesAroundTypedValues() throws {
        let demo = try DemoDatabase.copy()
        let source = """
            script { name = "spaces", params = { rate = { type = "number", default = 1 },
                                                 dry = { type = "boolean", default = false },
                                                 year = { type = "integer", default = 2025 } } }
            print(params.rate, params.dry, params.year)
            """
        let given = try demo.lua(source, params: ["rate": " 1.5 ", "dry": " yes", "year": "2024 "])
        #expect(given.status == .ok, "\(given.problem)")
        #expect(given.output == "1.5\ttrue\t2024\n")
        let refused = try demo.lua(source, params: ["dry": "maybe"])
        #expect(refused.status == .inputError)
    }

    @Test("--param year=2024 arrives as a Lua integer; every declared type is converted")
    func typedValues() throws {
        let demo = try DemoDatabase.copy()
        let source = Self.header + """
            print(math.type(params.year), params.year)
            print(params.month.kind, tostring(params.month), params.on:iso(), params.on.year)
            print(math.type(params.amount), params.amount, type(params.dry), params.dry, params.label)
            """
        let given = try demo.lua(source, params: ["year": "2024", "month": "2024-Q3", "on": "2024-02-29",
                                                  "amount": "¥1,234.56", "dry": "yes", "label": "金城镇"])
        #expect(given.status == .ok, "\(given.problem)")
        #expect(given.output == "integer\t2024\nquarter\t2024-Q3\t2024-02-29\t2024\ninteger\t123456\tboolean\ttrue\t金城镇\n")
        let defaults = try demo.lua(source)
        #expect(defaults.output == "integer\t2025\nmonth\t2025-06\t2025-06-15\t2025\ninteger\t10000\tboolean\tfalse\tx\n")
    }

    @Test("a typed parameter changes what a real script does")
    func realScriptYear() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.run("health_check_quota.lua", params: ["year": "2024"])
        #expect(report.status == .scriptError)
        #expect(report.error?.message.hasSuffix("no district-wide free-health-check quota is set for 2024") == true, "\(report.problem)")
        let dream = try demo.run("dream_scholarship.lua", params: ["year": "2024"])
        #expect(dream.error?.message.contains("no budget 'dream-scholarship-2024'") == true, "\(dream.problem)")
        let quarter = try demo.run("welfare_post_pay.lua", params: ["month": "2025-Q2"])
        #expect(quarter.error?.message.hasSuffix("month must be a month such as 2025-06, not 2025-Q2") == true, "\(quarter.problem)")
    }

    @Test("a value of the wrong type is an input error naming the parameter, before anything runs")
    func badValue() throws {
        let demo = try DemoDatabase.copy()
        for (name, value, message) in [
            ("year", "abc", "--param year=abc: not a whole number"),
            ("year", "2025.5", "--param year=2025.5: not a whole number"),
            ("month", "June", "--param month=June: not a period (2025, 2025-Q2, 2025-03)"),
            ("dry", "maybe", "--param dry=maybe: not true or false"),
        ] {
            let report = try demo.lua(Self.header + "print('ran')", params: [name: value])
            #expect(report.status == .inputError, "\(name)=\(value): \(report.problem)")
            #expect(report.error?.message == message)
            #expect(report.output.isEmpty)
            #expect(report.effects.isEmpty)
        }
        let date = try demo.lua(Self.header, params: ["on": "2025-02-30"])
        #expect(date.status == .inputError)
        #expect(date.error?.message.hasPrefix("--param on=2025-02-30: ") == true)
        let money = try demo.lua(Self.header, params: ["amount": "12.345"])
        #expect(money.status == .inputError)
        #expect(money.error?.message.hasPrefix("--param amount=12.345: ") == true)
        // The same for a real script.
        let real = try demo.run("dream_scholarship.lua", params: ["year": "twenty"])
        #expect(real.status == .inputError)
        #expect(real.error?.message == "--param year=twenty: not a whole number")
    }

    @Test("an unknown parameter is an input error listing the declared ones")
    func unknownParameter() throws {
        let demo = try DemoDatabase.copy()
        let report = try demo.run("health_check_quota.lua", params: ["yaer": "2024"])
        #expect(report.status == .inputError)
        #expect(report.error?.message == "unknown parameter 'yaer' (declared: year)")
        #expect(report.effects.isEmpty)
        let headerless = try demo.lua("print(1)", params: ["year": "2024"])
        #expect(headerless.status == .inputError)
        #expect(headerless.error?.message.contains("--param given, but the script declares no parameters") == true)
    }

    @Test("a required parameter without a default must be given")
    func requiredParameter() throws {
        let demo = try DemoDatabase.copy()
        let source = "script{ name = \"r\", params = { town = { type = \"string\" } } }\nprint(params.town)"
        let missing = try demo.lua(source)
        #expect(missing.status == .inputError)
        #expect(missing.error?.message == "parameter 'town' is required: give --param town=VALUE")
        #expect(try demo.lua(source, params: ["town": "儒林镇"]).output == "儒林镇\n")
    }

    @Test("every script in Scripts/ declares a header with a name, a title and typed parameters")
    func scriptHeaders() throws {
        let directory = Demo.repository.appendingPathComponent("Scripts")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".lua") }.sorted()
        #expect(names == ["certificate_reminders.lua", "dream_scholarship.lua", "facility_placements.lua",
                          "health_check_quota.lua", "home_visit_hours.lua", "hospital_consolation.lua",
                          "loan_interest_subsidy.lua", "temporary_relief.lua", "turning_80.lua", "welfare_post_pay.lua"])
        let demo = try DemoDatabase.copy()
        for name in names {
            let source = try Demo.script(name)
            #expect(source.hasPrefix("--"), "\(name) starts with a comment")
            let runner = DomainRunner(store: demo.store, actor: Demo.districtAdmin, today: DemoDatabase.today, hardDeadline: .none)
            let report = runner.run(source: source, name: name, commit: false, headerOnly: true)
            #expect(report.status == .ok, "\(name): \(report.problem)")
        }
    }
}
