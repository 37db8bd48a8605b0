-- A gazetteer: named places (roads, landmarks, communities) so a resident can give a
-- report's location by typing an address. Admins load it; the demo city has a few.
-- Kept in step with migrations/postgres/0003_places.sql (a test compares the schemas).

CREATE TABLE places (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    created_at  TEXT NOT NULL
);
