-- attack: os.time with an absurd year.
-- expect: error "os_time_absurd.lua:3: field 'year' is out-of-bound"
return os.time { year = 2^40, month = 1, day = 1 }
