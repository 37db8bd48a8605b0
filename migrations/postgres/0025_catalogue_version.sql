-- The catalogue's version: a number that grows whenever a category or a grid changes.
-- Each instance keeps the catalogue in memory (the categories with their questions, the
-- grids' shapes ready for point-in-polygon) and reads this one number per report to know
-- whether its copy is still right; another instance's change, an admin's edit or a
-- bulk load all show. Kept in step with migrations/sqlite/0025_catalogue_version.sql.

CREATE TABLE catalogue_version (
    id  BIGINT PRIMARY KEY CHECK (id = 1),
    n   BIGINT NOT NULL
);
INSERT INTO catalogue_version (id, n) VALUES (1, 1);

CREATE FUNCTION catalogue_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalogue_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_categories AFTER INSERT OR UPDATE OR DELETE ON categories
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump();
CREATE TRIGGER catalogue_grids AFTER INSERT OR UPDATE OR DELETE ON grids
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_bump();
