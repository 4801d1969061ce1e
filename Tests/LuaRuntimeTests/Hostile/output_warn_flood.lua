-- attack: flood through warn instead of print: warnings are kept in Swift memory and printed
--         in full, outside both the output limit and the Lua memory limit (a 1MB message in a
--         loop put 245MB on stderr within a 1 s run).
-- expect: limit.output
-- args: --output-limit 64KB --timeout 500ms
while true do warn("x") end
