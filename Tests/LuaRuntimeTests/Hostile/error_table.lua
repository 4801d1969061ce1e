-- attack: an error object that is a table (the host must describe it without touching it).
-- expect: error "(error object is a table value)"
error({ code = 1 })
