-- attack: a 1MB error message, to flood the terminal and the logs past the output limit.
--         (Found by this suite; error messages are now capped.)
-- expect: error "error_huge.lua:5: xxxxxxxxxx*… (1044498 more bytes)"
-- stderr-max: 4200
error(("x"):rep(1024 * 1024))
