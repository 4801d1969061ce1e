-- Benchmark job 2 (Steward): count union members by town (GROUP BY in SQL) and share the
-- 20,000 health checks by largest remainder.
local counts = members{ union_card = true }:count_by "town"
local shares = allocate.largest_remainder(20000, counts)
local total = 0
for _, n in pairs(shares) do total = total + n end
print("towns shared 20,000 slots:", total)
