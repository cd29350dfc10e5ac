-- SQLite's V2 adds tasks.confirmed_at; PostgreSQL's V1 has it already. Kept so both stores number
-- their steps alike.
SELECT 1;
