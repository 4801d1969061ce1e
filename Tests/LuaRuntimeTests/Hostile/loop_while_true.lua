-- attack: an infinite loop.
-- expect: limit.time
-- args: --timeout 500ms
while true do end
