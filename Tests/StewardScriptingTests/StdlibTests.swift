import Foundation
import StewardCore
import Testing
@testable import StewardScripting

/// The Lua side of the language (Stdlib/*.lua), run as scripts run it.
@Suite("Stdlib: allocate, tiers, report")
struct StdlibTests {
    /// Prints a table's entries as `k=v` in key order.
    static let show = """
        local function show(t)
          local keys = {}
          for k in pairs(t) do keys[#keys + 1] = k end
          table.sort(keys)
          local out = {}
          for _, k in ipairs(keys) do out[#out + 1] = k .. "=" .. tostring(t[k]) end
          print(table.concat(out, " "))
        end

        """

    func output(_ lua: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let demo = try DemoDatabase.copy()
        let report = try demo.lua(Self.show + lua)
        #expect(report.status == .ok, "\(report.problem)", sourceLocation: sourceLocation)
        return report.output
    }

    func failure(_ lua: String) throws -> String {
        let demo = try DemoDatabase.copy()
        let report = try demo.lua(lua)
        #expect(report.status == .scriptError)
        return report.error?.message ?? ""
    }

    // MARK: allocate.largest_remainder

    @Test("largest remainder: shares add up exactly; equal remainders go to the first key in order")
    func largestRemainderTies() throws {
        #expect(try output("show(allocate.largest_remainder(10, { a = 1, b = 1, c = 1 }))") == "a=4 b=3 c=3\n")
        #expect(try output("show(allocate.largest_remainder(100, { x = 1, y = 1, z = 1 }))") == "x=34 y=33 z=33\n")
    }

    @Test("largest remainder: an equal remainder goes to the larger weight before the key order")
    func largestRemainderTieByWeight() throws {
        // 3 × 1/6 = 0.5 and 3 × 5/6 = 2.5: equal remainders; z has the larger weight.
        #expect(try output("show(allocate.largest_remainder(3, { a = 1, z = 5 }))") == "a=0 z=3\n")
    }

    @Test("largest remainder: caps and floors bound shares, the rest is re-shared")
    func largestRemainderCapsAndFloors() throws {
        #expect(try output("show(allocate.largest_remainder(100, { a = 1, b = 1, c = 2 }, { caps = { c = 30 } }))")
            == "a=35 b=35 c=30\n")
        #expect(try output("show(allocate.largest_remainder(100, { a = 1, b = 9 }, { floors = { a = 20 } }))")
            == "a=20 b=80\n")
        // Both at once, and a key with no weight still gets its floor.
        #expect(try output("""
            show(allocate.largest_remainder(20000, { ["金城镇"] = 105, ["直溪镇"] = 33, ["薛埠镇"] = 0 },
              { caps = { ["金城镇"] = 12000 }, floors = { ["直溪镇"] = 6000, ["薛埠镇"] = 500 } }))
            """) == "直溪镇=7500 薛埠镇=500 金城镇=12000\n")
    }

    @Test("largest remainder: impossible or malformed requests are clear errors")
    func largestRemainderErrors() throws {
        // Errors point at the script's line, not into the library.
        #expect(try failure("local x = 1\nallocate.largest_remainder(10, { a = 0, b = 0 })")
            == "inline.lua:2: allocate.largest_remainder: Every weight is zero (or there are no keys), so the total cannot be shared in proportion.")
        #expect(try failure("allocate.largest_remainder(10, { a = 1.5 })")
            == "inline.lua:1: allocate.largest_remainder: the weight of a must be a whole number, got 1.5")
        #expect(try failure("allocate.largest_remainder(10, { a = 1 }, { floors = { a = 11 } })").hasPrefix("inline.lua:1: allocate.largest_remainder: "))
        #expect(try failure("allocate.largest_remainder(10, 5)") == "inline.lua:1: allocate.largest_remainder: weights must be a table of key = weight")
    }

    // MARK: allocate.priority

    @Test("priority: in order while the total lasts; a later smaller item may still fit, unless told to stop")
    func priority() throws {
        let setup = """
            local cost = { a = 4, b = 7, c = 3, d = 5 }
            local function line(granted, unfunded, left)
              local g, u = {}, {}
              for _, x in ipairs(granted) do g[#g + 1] = x.item .. ":" .. x.amount end
              for _, x in ipairs(unfunded) do u[#u + 1] = x.item .. ":" .. x.amount end
              print(table.concat(g, ","), table.concat(u, ","), left)
            end

            """
        #expect(try output(setup + """
            line(allocate.priority(10, { "a", "b", "c", "d" }, function(x) return cost[x] end))
            line(allocate.priority(10, { "a", "b", "c", "d" }, function(x) return cost[x] end, { stop_at_first_shortfall = true }))
            line(allocate.priority(0, { "a" }, function(x) return cost[x] end))
            """) == "a:4,c:3\tb:7,d:5\t3\na:4\tb:7,c:3,d:5\t6\n\ta:4\t0\n")
        #expect(try failure("allocate.priority(10, { 1 }, function() return 1.5 end)")
            .contains("allocate.priority: amount_of must return a whole amount ≥ 0"))
        #expect(try failure("allocate.priority(-1, {}, function() return 1 end)")
            .contains("allocate.priority: total must be a whole amount ≥ 0"))
    }

    // MARK: tiers

    @Test("tiers: the first tier containing a measure, or the sum of all that contain it")
    func tiers() throws {
        #expect(try output("""
            local t = tiers.new{
              { from = 1, to = 7, value = yuan(500) },
              { from = 5, to = 30, value = yuan(1000) },
              { from = 31, value = yuan(2000) },
            }
            print(t:first(6), t:sum(6), t:first(8), t:sum(8), t:first(40), t:sum(40), t:first(0), t:sum(0))
            """) == "50000\t150000\t100000\t100000\t200000\t200000\tnil\t0\n")
        #expect(try failure("tiers.new{ { from = 10, to = 5, value = 1 } }") == "inline.lua:1: tiers.new: tier 1 ends before it starts")
        #expect(try failure("local t = tiers.new{ { from = 1, value = 1 } }\nt:first(1.5)").contains("tiers: measure must be a whole number"))
        #expect(try failure("tiers.new{ { from = 1, value = 2.5 } }").contains("tiers: value must be a whole number"))
    }

    // MARK: report

    /// Terminal columns of a line: CJK characters take two.
    static func displayWidth(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) { width, scalar in
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v)
            return width + (wide ? 2 : 1)
        }
    }

    @Test("report.table: columns aligned by display width with Chinese text; money right-aligned")
    func reportTableAlignment() throws {
        let text = try output("""
            report.table({
              { name = "王芳", town = "儒林镇", amount = yuan(1234.5) },
              { name = "欧阳娜娜", town = "东城街道", amount = yuan(70) },
              { name = "Li", town = "金城镇", amount = fen(5) },
            }, { "name", "town", "amount:money" })
            """)
        #expect(text == """
            name      town         amount
            ────────  ────────  ─────────
            王芳      儒林镇    ¥1,234.50
            欧阳娜娜  东城街道     ¥70.00
            Li        金城镇        ¥0.05

            """)
        let lines = text.split(separator: "\n")
        // Every line ends at the same column: the right-aligned money column lines up.
        #expect(Set(lines.dropFirst().map(Self.displayWidth)).count == 1)
        #expect(Self.displayWidth(lines[2]) == 29)
    }

    @Test("report.table of a map, with number columns right-aligned; report.summary sorted; report.heading")
    func reportMapAndSummary() throws {
        let text = try output("""
            report.heading("名额")
            report.table({ ["金城镇"] = 3602, ["直溪镇"] = 1132, ["东城街道"] = 3225 }, { "town", "slots" })
            report.summary{ towns = 3, ["slots in all"] = 7959 }
            """)
        #expect(text == """
            == 名额
            town      slots
            ────────  ─────
            东城街道   3225
            直溪镇     1132
            金城镇     3602
            slots in all: 7959
            towns: 3

            """)
    }
}
