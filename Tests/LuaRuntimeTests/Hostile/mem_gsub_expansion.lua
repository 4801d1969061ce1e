-- attack: one gsub call whose result is 100 times its subject (no size check on gsub's output).
-- expect: limit.memory
return ("x"):rep(1024 * 1024):gsub(".", ("y"):rep(100))
