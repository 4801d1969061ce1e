-- allocate: share a budget or a quota exactly.
--
-- Money and counts are integers (fen, slots); every share-out adds up to its total exactly.
-- Trusted host code: it runs with the full library and publishes `allocate` to scripts.

local host_largest_remainder = __host_largest_remainder
local type, ipairs, error, pcall, tostring = type, ipairs, error, pcall, tostring

local allocate = {}

--- Shares `total` in proportion to `weights` (key → integer weight), by largest remainder:
--- the shares add up to `total` exactly; ties go to the larger weight, then the first key in
--- sorted order. `opts.caps` and `opts.floors` bound individual shares.
--- Example: allocate.largest_remainder(20000, members{ union_card = true }:count_by "town")
function allocate.largest_remainder(total, weights, opts)
  if type(weights) ~= "table" then
    error("allocate.largest_remainder: weights must be a table of key = weight", 2)
  end
  opts = opts or {}
  local ok, shares = pcall(host_largest_remainder, total, weights, opts.caps, opts.floors)
  if not ok then
    -- Report the error at the script's line, not inside this library.
    error((tostring(shares):gsub("^allocate%.lua:%d+: ", "")), 2)
  end
  return shares
end

--- Goes through `items` in order, giving each `amount_of(item)` while `total` lasts.
--- Returns `granted` (list of { item =, amount = }), `unfunded` (the rest, in order) and
--- what remains. An item that does not fit is skipped and later smaller ones may still fit,
--- unless `opts.stop_at_first_shortfall` is true.
function allocate.priority(total, items, amount_of, opts)
  if type(total) ~= "number" or math.type(total) ~= "integer" or total < 0 then
    error("allocate.priority: total must be a whole amount ≥ 0", 2)
  end
  opts = opts or {}
  local granted, unfunded, remaining = {}, {}, total
  local stopped = false
  for _, item in ipairs(items) do
    local amount = amount_of(item)
    if math.type(amount) ~= "integer" or amount < 0 then
      error("allocate.priority: amount_of must return a whole amount ≥ 0", 2)
    end
    if not stopped and amount <= remaining then
      granted[#granted + 1] = { item = item, amount = amount }
      remaining = remaining - amount
    else
      unfunded[#unfunded + 1] = { item = item, amount = amount }
      if opts.stop_at_first_shortfall then stopped = true end
    end
  end
  return granted, unfunded, remaining
end

sandbox.allocate = readonly(allocate, "allocate")
