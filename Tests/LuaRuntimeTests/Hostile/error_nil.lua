-- attack: error(nil).
-- expect: error "error object is nil"
error(nil)
