-- 职工免费体检名额分配 — free health checks for outstanding workers.
--
-- The district's yearly quota (20,000 checks in 2025) is shared among the towns and
-- sub-districts in proportion to their union members (持工会服务卡职工), by largest
-- remainder: the towns' shares add up to the quota exactly. Each town's share becomes a hard
-- quota, so a town cannot book more checks than it was given.
--
--   steward run Scripts/health_check_quota.lua                  -- preview
--   steward run Scripts/health_check_quota.lua --commit         -- set the towns' quotas
--   steward run Scripts/health_check_quota.lua --param year=2026
script {
  name = "health-check-quota",
  title = "Share the yearly free health-check quota among towns by union membership",
  idempotent = true,
  params = {
    year = { type = "integer", default = 2025, help = "the quota year" },
  },
}

local checks = programme "free-health-check"
local year = params.year

local quota = checks:quota(year)
if quota == nil then
  error("no district-wide free-health-check quota is set for " .. year)
end

-- Union members per town (town name → count), counted in the database.
local members_by_town = members{ union_card = true }:count_by "town"
local shares = allocate.largest_remainder(quota, members_by_town)

-- Towns in a fixed order, so the preview reads the same every time.
local towns = {}
for town in pairs(shares) do towns[#towns + 1] = town end
table.sort(towns)

local rows, total, changed = {}, 0, 0
for _, town in ipairs(towns) do
  local slots = shares[town]
  total = total + slots
  -- Setting a town's quota to what it already is changes nothing: skip it, so a second
  -- run proposes nothing.
  if checks:quota(year, town) ~= slots then
    checks:set_quota{ period = year, town = town, limit = slots, hard = true }
    changed = changed + 1
  end
  rows[#rows + 1] = { town = town, members = members_by_town[town], slots = slots }
end
assert(total == quota, "the shares must add up to the quota")

report.heading(("%d free health checks for %d, shared by union membership"):format(quota, year))
report.table(rows, { "town", "members", "slots" })
report.summary{ ["towns"] = #towns, ["slots in all"] = total, ["quotas changed"] = changed }
