-- Departments are retired, never deleted: a reorganisation merges one department into
-- another, or gives it a new code (a new department takes over the old one's work). The
-- retired department keeps its history (closed cases, answers, ratings and the results
-- counted for it); its open work, its officials, categories, grids and services moved to
-- the successor when it was retired. It is no longer offered wherever a department is chosen.
-- Kept in step with migrations/sqlite/0024_department_retirement.sql (a test compares the schemas).

ALTER TABLE departments ADD COLUMN retired_at TIMESTAMPTZ;
ALTER TABLE departments ADD COLUMN successor_id BIGINT REFERENCES departments (id);
