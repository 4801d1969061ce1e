-- attack: drive the terminal through print: clear screen, title, bell, backspace, CR, NUL, DEL.
-- expect: ok
-- stdout: \x1b[2J\x1b]0;pwned\x07 \x08\x08 \x0dforged \x00 \x7f	tab
print("\27[2J\27]0;pwned\7 \8\8 \rforged \0 \127\ttab")
