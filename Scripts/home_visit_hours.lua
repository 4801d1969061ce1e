-- 高龄老人上门服务时长 — home-visit service hours for residents aged 80 and over.
--
-- Each person aged 80+ has service hours for the quarter (8 a quarter, 12 from age 90), and
-- hours not used by the end of the quarter lapse ("cleared" every quarter, 按季清零).
--
--  * From 15 days before the quarter ends: anyone with half or more of the quarter's hours
--    still unused gets a reminder, once per person per quarter (the reminder's key is the
--    person and the quarter, so daily runs remind nobody twice).
--  * On the quarter's last day (or later, catching up a missed run): unused hours expire —
--    the hours used are set back to 0 and the record moves on to the next quarter.
-- Run it daily; on other days it does nothing.
script {
  name = "home-visit-hours",
  title = "Remind the 80+ of unused home-visit hours; expire them at quarter end",
  idempotent = true,
  params = {
    remind_days = { type = "integer", default = 15, help = "days before quarter end to remind" },
  },
}

local day = today()
local this_quarter = quarter(day)
local quarter_end = this_quarter.last_day
local remind_from = quarter_end - days(params.remind_days)
local reminding = day >= remind_from
local expiring = day == quarter_end

local reminded, expired, hours_lapsing = 0, 0, 0
local rows = {}
for person in members{ elderly = true, age_min = 80 }:order_by("town", "id"):each() do
  local hours = person.home_visit_hours or 0
  local used = person.home_visit_hours_used or 0
  local counted = person.home_visit_quarter   -- the quarter `used` belongs to
  if hours > 0 and counted ~= nil then
    local unused = math.max(hours - used, 0)
    if counted ~= this_quarter and counted.last_day < day then
      -- A quarter that ended before a run could clear it: clear it now.
      update(person, "home_visit_hours_used", 0)
      update(person, "home_visit_quarter", this_quarter)
      expired = expired + 1
      hours_lapsing = hours_lapsing + unused
    elseif counted == this_quarter then
      if reminding and unused * 2 >= hours and not expiring then
        remind{
          subject = person,
          kind = "home_visit_hours",
          due = quarter_end,
          text = ("%s：本季度上门服务还剩 %d 小时（共 %d 小时），%s 到期清零"):format(
            person.name, unused, hours, quarter_end:iso()),
          key = ("home-visit-hours|m%d|%s"):format(person.id, tostring(this_quarter)),
        }
        reminded = reminded + 1
        rows[#rows + 1] = { name = person.name, town = person.town_name, hours = hours, used = used, unused = unused }
      elseif expiring then
        update(person, "home_visit_hours_used", 0)
        update(person, "home_visit_quarter", this_quarter:next())
        expired = expired + 1
        hours_lapsing = hours_lapsing + unused
      end
    end
  end
end

report.heading(("Home-visit hours, %s (quarter ends %s)"):format(tostring(this_quarter), quarter_end:iso()))
if #rows > 0 then report.table(rows, { "name", "town", "hours", "used", "unused" }) end
report.summary{
  ["reminded"] = reminded,
  ["records cleared"] = expired,
  ["unused hours expiring"] = hours_lapsing,
  ["reminders from"] = remind_from:iso(),
}
