-- A gazetteer: named places (roads, landmarks, communities) so a resident can give a
-- report's location by typing an address. Admins load it; the demo city has a few.
-- Kept in step with migrations/sqlite/0003_places.sql (a test compares the schemas).

CREATE TABLE places (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
