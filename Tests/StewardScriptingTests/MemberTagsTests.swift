import Testing
@testable import StewardScripting

/// `each()` reads members without their tags and looks them up when a script asks: every way
/// of reaching a member must give the same tags.
@Suite("Member tags, read when asked")
struct MemberTagsTests {
    @Test("tags and has_tag through each() equal those of list(), member(id) and the database")
    func tagsThroughEachMatch() throws {
        let demo = try DemoDatabase.copy()
        let expected = try demo.rows("""
            SELECT member_id, group_concat(tag, ',') FROM (SELECT member_id, tag FROM member_tags ORDER BY member_id, tag)
            GROUP BY member_id ORDER BY member_id
            """).map { "\($0[0]):\($0[1])" }
        #expect(expected.count > 100)
        let report = try demo.lua("""
            local seen, mismatches = 0, 0
            local listed = {}
            for _, m in ipairs(members{ tag = "student-hardship" }:list()) do listed[m.id] = table.concat(m.tags, ",") end
            for m in members{}:order_by("id"):each() do
              local tags = m.tags
              if #tags > 0 then
                seen = seen + 1
                print(m.id .. ":" .. table.concat(tags, ","))
                -- has_tag agrees with tags, before and after they were read.
                for _, t in ipairs(tags) do if not m:has_tag(t) then mismatches = mismatches + 1 end end
                if m:has_tag("no-such-tag") then mismatches = mismatches + 1 end
                if listed[m.id] and listed[m.id] ~= table.concat(tags, ",") then mismatches = mismatches + 1 end
                if table.concat(member(m.id).tags, ",") ~= table.concat(tags, ",") then mismatches = mismatches + 1 end
              end
            end
            for m in members{}:order_by("id"):limit(50):each() do
              -- has_tag first, without reading tags.
              if m:has_tag("student-hardship") ~= (listed[m.id] ~= nil) then mismatches = mismatches + 1 end
            end
            print("mismatches " .. mismatches)
            """)
        #expect(report.error == nil)
        let lines = report.output.split(separator: "\n").map(String.init)
        #expect(Array(lines.dropLast()) == expected)
        #expect(lines.last == "mismatches 0")
    }
}
