-- Benchmark job 2 (sqlite3 shell): the same counts.
SELECT t.name, count(*) FROM members m JOIN places t ON t.id = m.town_id
WHERE m.union_card IS NOT NULL GROUP BY t.id;
