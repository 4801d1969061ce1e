-- 临时救助 — temporary relief from the district's emergency fund (3,000,000 yuan a year).
--
-- Applications (recorded on the applicant as tags `relief-request:DATE:YUAN`) are granted in
-- the order they came in, each in full, as long as the fund can pay it: the fund is never
-- taken below zero. An application the fund can no longer pay goes on the waitlist with the
-- reason. When the fund passes 80 % spent, the run warns (预警), so the office can ask for
-- more money before it runs out.
-- One grant per person per month of application: a second run pays nobody twice.
script {
  name = "temporary-relief",
  title = "Temporary relief grants until the fund is spent, with a warning at 80 %",
  idempotent = true,
  params = {
    year = { type = "integer", default = 2025, help = "the fund's year" },
  },
}

local year = params.year
local relief = programme "temporary-relief"
local fund = budget("relief-" .. year)
local warning_percent = relief:param("warning_percent")   -- 80

-- Spent share of the fund: exact integer comparison for the warning, a percentage to show.
local function past_warning_level()
  return (fund.total - fund:available()) * 100 >= warning_percent * fund.total
end
local function percent_spent()
  return (fund.total - fund:available()) * 100 / fund.total
end

-- Every application of the year, oldest first (then by member id).
local requests = {}
for person in members{ tag = "relief-request" }:each() do
  for _, tag in ipairs(person.tags) do
    local applied, amount = tag:match("^relief%-request:(%d%d%d%d%-%d%d%-%d%d):(%d+)$")
    if applied and date(applied).year == year then
      requests[#requests + 1] = {
        person = person, applied = date(applied), amount = yuan(math.tointeger(tonumber(amount))),
      }
    end
  end
end
table.sort(requests, function(a, b)
  if a.applied ~= b.applied then return a.applied < b.applied end
  return a.person.id < b.person.id
end)

local spent_before = percent_spent()
local warned = past_warning_level()
if warned then
  warn(("relief fund %s is already %.1f%% spent: %s left"):format(
    fund.code, spent_before, money.format(fund:available())))
end

local rows = {}
local granted, waiting, already, total = 0, 0, 0, 0
for _, r in ipairs(requests) do
  local month_of = month(r.applied)
  local line = { name = r.person.name, town = r.person.town_name, applied = r.applied:iso(), amount = r.amount }
  if relief:paid(r.person, month_of) > 0 then
    already = already + 1
    line.result = "already granted"
  elseif fund:available() >= r.amount then
    fund:grant(r.person, r.amount, { programme = relief, kind = "emergency", period = month_of,
                                      memo = "临时救助 " .. r.applied:iso() })
    granted = granted + 1
    total = total + r.amount
    line.result = "granted"
    if not warned and past_warning_level() then
      warned = true
      warn(("relief fund %s passed %d%% spent with the grant to %s: %s left"):format(
        fund.code, warning_percent, r.person.name, money.format(fund:available())))
    end
  else
    waitlist(r.person, relief, ("fund exhausted: %s left, %s requested"):format(
      money.format(fund:available()), money.format(r.amount)))
    waiting = waiting + 1
    line.result = "waitlisted"
  end
  rows[#rows + 1] = line
end

report.heading(("Temporary relief %d from %s (%s)"):format(year, fund.code, money.format(fund.total)))
report.table(rows, { "name", "town", "applied", "amount:money", "result" })
report.summary{
  ["granted"] = granted,
  ["waitlisted"] = waiting,
  ["granted before"] = already,
  ["granted now"] = money.format(total),
  ["spent before"] = ("%.1f%%"):format(spent_before),
  ["spent after"] = ("%.1f%%"):format(percent_spent()),
  ["left in the fund"] = money.format(fund:available()),
}
