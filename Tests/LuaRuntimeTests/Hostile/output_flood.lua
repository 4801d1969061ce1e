-- attack: flood the output.
-- expect: limit.output
-- args: --output-limit 64KB
while true do print(("x"):rep(1000)) end
