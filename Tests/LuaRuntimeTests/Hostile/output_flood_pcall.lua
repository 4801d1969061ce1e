-- attack: catch the output limit with pcall and keep printing.
-- expect: limit.output
-- args: --output-limit 64KB
while true do pcall(print, ("x"):rep(1000)) end
