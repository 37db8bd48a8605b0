-- The catalogue's version: a number that grows whenever a category or a grid changes.
-- Each instance keeps the catalogue in memory (the categories with their questions, the
-- grids' shapes ready for point-in-polygon) and reads this one number per report to know
-- whether its copy is still right; another instance's change, an admin's edit or a
-- bulk load all show. Kept in step with migrations/postgres/0025_catalogue_version.sql.

CREATE TABLE catalogue_version (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   BIGINT NOT NULL
);
INSERT INTO catalogue_version (id, n) VALUES (1, 1);

CREATE TRIGGER catalogue_category_insert AFTER INSERT ON categories
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_category_update AFTER UPDATE ON categories
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_category_delete AFTER DELETE ON categories
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_grid_insert AFTER INSERT ON grids
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_grid_update AFTER UPDATE ON grids
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalogue_grid_delete AFTER DELETE ON grids
BEGIN UPDATE catalogue_version SET n = n + 1 WHERE id = 1; END;
