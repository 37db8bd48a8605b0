-- Published results, kept up to date as things change instead of counted on each request.
--
-- Every report, public question, rating and rectification adds a few counts to
-- stats_cells: by the city's local month, the department, a dimension (the whole, a
-- category, a grid, a day of the month, a class of durations) and a metric. The rows each
-- one was counted from are kept in stats_facts, so that when it changes the old counts are
-- taken away and the new ones added. Triggers mark what changed in stats_dirty, whatever the code path
-- that changed it; the server works through that list in the background and before it
-- shows results. Kept in step with migrations/postgres/0022_stats.sql.

CREATE TABLE stats_dirty (
    seq         INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,     -- 'report', 'question', 'rectification', 'ratings:report' (a report's ratings), 'rating' (one of an answer or service)
    subject_id  INTEGER NOT NULL,
    UNIQUE (kind, subject_id)
);

CREATE TABLE stats_facts (
    kind        TEXT NOT NULL,
    subject_id  INTEGER NOT NULL,
    cells       TEXT NOT NULL,     -- the subject's rows as last counted, in a compact form
    PRIMARY KEY (kind, subject_id)
);

CREATE TABLE stats_cells (
    month          TEXT NOT NULL,       -- the city's local month, 'YYYY-MM'
    department_id  INTEGER NOT NULL,    -- 0: no department
    dim            TEXT NOT NULL,       -- 'all', 'category', 'grid', 'day', 'close_time', 'answer_time', 'rating'
    item           INTEGER NOT NULL,    -- the category, grid, day of month, duration class … (0 for 'all')
    metric         TEXT NOT NULL,
    value          INTEGER NOT NULL,
    PRIMARY KEY (month, department_id, dim, item, metric)
);

-- What the counts were made with (the city's UTC offset): when it changes they are rebuilt.
CREATE TABLE stats_meta (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- (NOT EXISTS rather than INSERT OR IGNORE: a statement's own conflict clause, such as an
-- upsert's, would override the trigger's and fail on a subject already marked.)
CREATE TRIGGER stats_report_insert AFTER INSERT ON reports
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'report', NEW.id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'report' AND subject_id = NEW.id); END;
CREATE TRIGGER stats_report_update AFTER UPDATE OF status, closed_at, department_id, category_id, grid_id, due_at, created_at ON reports
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'report', NEW.id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'report' AND subject_id = NEW.id); END;
CREATE TRIGGER stats_report_delete AFTER DELETE ON reports
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'report', OLD.id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'report' AND subject_id = OLD.id); END;

CREATE TRIGGER stats_question_insert AFTER INSERT ON questions
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'question', NEW.id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'question' AND subject_id = NEW.id); END;
CREATE TRIGGER stats_question_update AFTER UPDATE OF department_id, visibility, created_at ON questions
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'question', NEW.id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'question' AND subject_id = NEW.id); END;
CREATE TRIGGER stats_question_delete AFTER DELETE ON questions
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'question', OLD.id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'question' AND subject_id = OLD.id); END;

CREATE TRIGGER stats_answer_insert AFTER INSERT ON answers
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'question', NEW.question_id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'question' AND subject_id = NEW.question_id); END;
CREATE TRIGGER stats_answer_update AFTER UPDATE OF department_id, received_at, due_at, created_at ON answers
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'question', NEW.question_id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'question' AND subject_id = NEW.question_id); END;
CREATE TRIGGER stats_answer_delete AFTER DELETE ON answers
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'question', OLD.question_id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'question' AND subject_id = OLD.question_id); END;

CREATE TRIGGER stats_rating_insert AFTER INSERT ON ratings
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT CASE WHEN NEW.subject_kind = 'report' THEN 'ratings:report' ELSE 'rating' END, CASE WHEN NEW.subject_kind = 'report' THEN NEW.subject_id ELSE NEW.id END WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = CASE WHEN NEW.subject_kind = 'report' THEN 'ratings:report' ELSE 'rating' END AND subject_id = CASE WHEN NEW.subject_kind = 'report' THEN NEW.subject_id ELSE NEW.id END); END;
CREATE TRIGGER stats_rating_update AFTER UPDATE ON ratings
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT CASE WHEN NEW.subject_kind = 'report' THEN 'ratings:report' ELSE 'rating' END, CASE WHEN NEW.subject_kind = 'report' THEN NEW.subject_id ELSE NEW.id END WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = CASE WHEN NEW.subject_kind = 'report' THEN 'ratings:report' ELSE 'rating' END AND subject_id = CASE WHEN NEW.subject_kind = 'report' THEN NEW.subject_id ELSE NEW.id END); END;
CREATE TRIGGER stats_rating_delete AFTER DELETE ON ratings
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT CASE WHEN OLD.subject_kind = 'report' THEN 'ratings:report' ELSE 'rating' END, CASE WHEN OLD.subject_kind = 'report' THEN OLD.subject_id ELSE OLD.id END WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = CASE WHEN OLD.subject_kind = 'report' THEN 'ratings:report' ELSE 'rating' END AND subject_id = CASE WHEN OLD.subject_kind = 'report' THEN OLD.subject_id ELSE OLD.id END); END;

CREATE TRIGGER stats_rectification_insert AFTER INSERT ON rectifications
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'rectification', NEW.id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'rectification' AND subject_id = NEW.id); END;
CREATE TRIGGER stats_rectification_update AFTER UPDATE ON rectifications
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'rectification', NEW.id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'rectification' AND subject_id = NEW.id); END;
CREATE TRIGGER stats_rectification_delete AFTER DELETE ON rectifications
BEGIN INSERT INTO stats_dirty (kind, subject_id) SELECT 'rectification', OLD.id WHERE NOT EXISTS (SELECT 1 FROM stats_dirty WHERE kind = 'rectification' AND subject_id = OLD.id); END;

-- What existed before: counted by the first pass.
INSERT INTO stats_dirty (kind, subject_id) SELECT 'report', id FROM reports;
INSERT INTO stats_dirty (kind, subject_id) SELECT 'question', id FROM questions;
INSERT INTO stats_dirty (kind, subject_id) SELECT DISTINCT 'ratings:report', subject_id FROM ratings WHERE subject_kind = 'report';
INSERT INTO stats_dirty (kind, subject_id) SELECT 'rating', id FROM ratings WHERE subject_kind <> 'report';
INSERT INTO stats_dirty (kind, subject_id) SELECT 'rectification', id FROM rectifications;
