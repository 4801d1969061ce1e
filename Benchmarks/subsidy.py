"""Benchmark job 1 (Python + sqlite3): the same subsidy run as subsidy.lua, written the way a
competent analyst would: one query, the rules in Python, idempotency keys checked, one
transaction on --commit."""
import datetime
import sqlite3
import sys

db, period, commit = sys.argv[1], sys.argv[2], "--commit" in sys.argv
today = datetime.date(2025, 6, 15)
base = {1: 30000, 2: 20000, 3: 12000, 4: 8000}

con = sqlite3.connect(db)
budget_id, total = con.execute("SELECT id, total_fen FROM budgets WHERE code = ?", ("disability-subsidies-2025",)).fetchone()
spent = con.execute("""SELECT COALESCE(SUM(CASE kind WHEN 'allocation' THEN -amount_fen WHEN 'disbursement' THEN -amount_fen
                       ELSE amount_fen END), 0) FROM ledger WHERE budget_id = ?""", (budget_id,)).fetchone()[0]
left = total + spent
programme_id = con.execute("SELECT id FROM programmes WHERE code = 'disability-living-subsidy'").fetchone()[0]
done = {k for (k,) in con.execute("SELECT idempotency_key FROM ledger WHERE idempotency_key IS NOT NULL AND budget_id = ?", (budget_id,))}


def age(birth):
    y, m, d = int(birth[0:4]), int(birth[5:7]), int(birth[8:10])
    return today.year - y - ((today.month, today.day) < (m, d))


entries, paid, unfunded = [], 0, 0
for mid, grade, lowinc, hard, poor, birth in con.execute(
        """SELECT id, disability_grade, minimum_living, extreme_hardship, registered_poor, birth_date
           FROM members WHERE disability_grade IS NOT NULL ORDER BY id"""):
    amount = base[grade]
    if lowinc or hard or poor:
        amount += 10000
    if age(birth) >= 60:
        amount += 5000
    key = f"grant|disability-subsidies-2025|disability-living-subsidy|m{mid}|{period}|living"
    if key in done:
        continue
    if amount <= left:
        entries.append((budget_id, amount, mid, programme_id, period, key))
        left -= amount
        paid += amount
    else:
        unfunded += 1

print(f"granted {len(entries)}, unfunded {unfunded}, paid ¥{paid / 100:,.2f}")
if commit:
    with con:
        con.executemany("""INSERT INTO ledger (budget_id, kind, amount_fen, member_id, programme_id, benefit_kind, period,
                           memo, idempotency_key, created_at) VALUES (?, 'disbursement', ?, ?, ?, 'living', ?, '', ?,
                           '2025-06-15T00:00:00Z')""", entries)
