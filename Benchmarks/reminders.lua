-- Benchmark job 3 (Steward): one reminder per disability certificate expiring within `days`.
script { name = "bench-reminders", title = "Certificate reminders (benchmark)",
         params = { days = { type = "integer", default = 30 } } }
local n = 0
for m in members{ certificate_expiring_within = params.days }:each() do
  remind{ subject = m, kind = "certificate_expiry", due = m.certificate_expiry,
          text = m.name .. "的残疾人证将于" .. tostring(m.certificate_expiry) .. "到期，请提醒换证" }
  n = n + 1
end
print("reminders:", n)
