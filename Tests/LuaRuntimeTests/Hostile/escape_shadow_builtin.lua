-- attack: replace a built-in name for code that runs after (the host library, later calls).
-- expect: error "escape_shadow_builtin.lua:3: cannot assign to 'print': it is a built-in name (use a local variable)"
print = function() end
