-- attack: a looping message handler under an instruction limit: it used to end as a time
--         limit (the hooks that count instructions were off), now the instruction limit.
-- expect: limit.instructions
-- args: --instruction-limit 100000
xpcall(function() while true do end end, function(e) while true do end end)
return "swallowed"
