-- 残疾人证到期提醒 — disability certificates that expire soon.
--
-- Everyone whose certificate (残疾人证) expires within the next 30 days gets one reminder,
-- due on the expiry date, to renew it (换证) before subsidies that depend on it stop. The
-- reminder's key is the person and the expiry date: daily runs remind nobody twice, and a
-- renewed certificate is reminded again when it comes due.
script {
  name = "certificate-reminders",
  title = "Remind holders of disability certificates expiring within 30 days",
  idempotent = true,
  params = {
    within_days = { type = "integer", default = 30, help = "how many days ahead to look" },
  },
}

-- Certificate categories as the federation writes them.
local category_names = {
  visual = "视力", hearing = "听力", speech = "言语", physical = "肢体",
  intellectual = "智力", mental = "精神", multiple = "多重",
}

local rows, new = {}, 0
for person in members{ certificate_expiring_within = params.within_days }:order_by("certificate_expiry", "id"):each() do
  local expiry = person.certificate_expiry
  local made = remind{
    subject = person,
    kind = "certificate_expiry",
    due = expiry,
    text = ("%s的残疾人证（%s%d级）将于 %s 到期，请及时办理换证"):format(
      person.name, category_names[person.disability_category] or person.disability_category,
      person.disability_grade, expiry:iso()),
  }
  if made then new = new + 1 end
  rows[#rows + 1] = { name = person.name, town = person.town_name, grade = person.disability_grade,
                      expires = expiry:iso(), ["in days"] = today():days_until(expiry) }
end

report.heading(("Disability certificates expiring by %s"):format((today() + days(params.within_days)):iso()))
report.table(rows, { "name", "town", "grade", "expires", "in days" })
report.summary{ ["certificates"] = #rows, ["new reminders"] = new }
