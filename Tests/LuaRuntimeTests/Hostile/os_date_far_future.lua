-- attack: a date far past what the C library can represent.
-- expect: error "os_date_far_future.lua:3: date result cannot be represented in this installation"
return os.date("*t", math.maxinteger)
