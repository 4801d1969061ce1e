"""Benchmark job 3 (Python + sqlite3): one reminder per certificate expiring within N days,
deduplicated by key, written in one transaction on --commit."""
import datetime
import sqlite3
import sys

db, days, commit = sys.argv[1], int(sys.argv[2]), "--commit" in sys.argv
today = datetime.date(2025, 6, 15)
until = today + datetime.timedelta(days=days)
con = sqlite3.connect(db)
existing = {k for (k,) in con.execute("SELECT dedup_key FROM reminders")}
rows = []
for mid, name, expiry, town in con.execute(
        """SELECT id, name, disability_cert_expiry, town_id FROM members
           WHERE disability_cert_expiry BETWEEN ? AND ? ORDER BY id""", (today.isoformat(), until.isoformat())):
    key = f"certificate_expiry|member|{mid}|{expiry}"
    if key in existing:
        continue
    rows.append(("member", str(mid), town, "certificate_expiry", expiry,
                 f"{name}的残疾人证将于{expiry}到期，请提醒换证", key))
print("reminders:", len(rows))
if commit:
    with con:
        con.executemany("""INSERT INTO reminders (subject_kind, subject_id, place_id, kind, due_on, text, dedup_key, status,
                           created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', '2025-06-15T00:00:00Z')""", rows)
