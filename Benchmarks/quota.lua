-- Benchmark job 2 (Steward): count union members by town (GROUP BY in SQL) and share the
-- 20,000 health checks by largest remainder. Prints each town's count as `town|count`, the
-- way the sqlite3 shell prints quota.sql, so that the benchmark can check they agree.
local counts = members{ union_card = true }:count_by "town"
local shares = allocate.largest_remainder(20000, counts)
local total = 0
for _, n in pairs(shares) do total = total + n end
local towns = {}
for town in pairs(counts) do towns[#towns + 1] = town end
table.sort(towns)
for _, town in ipairs(towns) do print(town .. "|" .. counts[town]) end
print("towns shared 20,000 slots:", total)
