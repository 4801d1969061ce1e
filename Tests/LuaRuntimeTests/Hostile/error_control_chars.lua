-- attack: drive the terminal through an error message: clear the screen, set a title, forge
--         a second line. (Found by this suite; error messages are now escaped like output.)
-- expect: error "error_control_chars.lua:5: \x1b[2J\x1b]0;pwned\x07\x0d"
-- stderr: error_control_chars.lua:5: \x1b[2J\x1b]0;pwned\x07\x0d
error("\27[2J\27]0;pwned\7\r")
