-- attack: jump into the scope of a local to read it uninitialised.
-- expect: error "goto_into_scope.lua:7: <goto skip> at line 4 jumps into the scope of local 'secret'"
do
  goto skip
  local secret = 1
  ::skip::
  print(secret)
end
