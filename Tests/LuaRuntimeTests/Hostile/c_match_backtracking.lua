-- attack: exponential backtracking in one match call ((a?)^30 a^30 on a^30).
-- expect: limit.time
-- args: --timeout 1s
return ("a"):rep(30):match(("a?"):rep(30) .. ("a"):rep(30))
