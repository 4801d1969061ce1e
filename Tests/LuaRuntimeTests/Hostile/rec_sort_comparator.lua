-- attack: recursion through C: a table.sort comparator that sorts again.
-- expect: error "rec_sort_comparator.lua:4: C stack overflow"
local function cmp(a, b)
  table.sort({ 3, 2, 1 }, cmp)
  return a < b
end
table.sort({ 3, 2, 1 }, cmp)
