-- attack: table.move over a huge range runs in one C call, where no hook fires.
-- expect: error "escape_table_move.lua:3: attempt to call a nil value (field 'move')"
table.move({}, 1, math.maxinteger, 2)
