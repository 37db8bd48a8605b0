-- Published results, kept up to date as things change instead of counted on each request.
--
-- Every report, public question, rating and rectification adds a few counts to
-- stats_cells: by the city's local month, the department, a dimension (the whole, a
-- category, a grid, a day of the month, a class of durations) and a metric. The rows each
-- one was counted from are kept in stats_facts, so that when it changes the old counts are
-- taken away and the new ones added. Triggers mark what changed in stats_dirty, whatever the code path
-- that changed it; the server works through that list in the background and before it
-- shows results. Kept in step with migrations/sqlite/0022_stats.sql.

CREATE TABLE stats_dirty (
    seq         BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL,     -- 'report', 'question', 'rectification', 'ratings:report' (a report's ratings), 'rating' (one of an answer or service)
    subject_id  BIGINT NOT NULL,
    UNIQUE (kind, subject_id)
);

CREATE TABLE stats_facts (
    kind        TEXT NOT NULL,
    subject_id  BIGINT NOT NULL,
    cells       TEXT NOT NULL,     -- the subject's rows as last counted, in a compact form
    PRIMARY KEY (kind, subject_id)
);

CREATE TABLE stats_cells (
    month          TEXT NOT NULL,       -- the city's local month, 'YYYY-MM'
    department_id  BIGINT NOT NULL,    -- 0: no department
    dim            TEXT NOT NULL,       -- 'all', 'category', 'grid', 'day', 'close_time', 'answer_time', 'rating'
    item           BIGINT NOT NULL,    -- the category, grid, day of month, duration class … (0 for 'all')
    metric         TEXT NOT NULL,
    value          BIGINT NOT NULL,
    PRIMARY KEY (month, department_id, dim, item, metric)
);

-- What the counts were made with (the city's UTC offset): when it changes they are rebuilt.
CREATE TABLE stats_meta (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- One function per table marks its row's subject as changed.
CREATE FUNCTION stats_mark_report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO stats_dirty (kind, subject_id) VALUES ('report', OLD.id) ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO stats_dirty (kind, subject_id) VALUES ('report', NEW.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION stats_mark_question() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO stats_dirty (kind, subject_id) VALUES ('question', OLD.id) ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO stats_dirty (kind, subject_id) VALUES ('question', NEW.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION stats_mark_answer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO stats_dirty (kind, subject_id) VALUES ('question', OLD.question_id) ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO stats_dirty (kind, subject_id) VALUES ('question', NEW.question_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
-- A report's ratings are counted together (a rater's newest round counts); an answer's or
-- a service's one by one.
CREATE FUNCTION stats_mark_rating() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r ratings;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    IF r.subject_kind = 'report' THEN
        INSERT INTO stats_dirty (kind, subject_id) VALUES ('ratings:report', r.subject_id) ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO stats_dirty (kind, subject_id) VALUES ('rating', r.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION stats_mark_rectification() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO stats_dirty (kind, subject_id) VALUES ('rectification', OLD.id) ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO stats_dirty (kind, subject_id) VALUES ('rectification', NEW.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER stats_report_insert AFTER INSERT OR DELETE ON reports FOR EACH ROW EXECUTE FUNCTION stats_mark_report();
CREATE TRIGGER stats_report_update AFTER UPDATE OF status, closed_at, department_id, category_id, grid_id, due_at, created_at ON reports
    FOR EACH ROW EXECUTE FUNCTION stats_mark_report();
CREATE TRIGGER stats_question_insert AFTER INSERT OR DELETE ON questions FOR EACH ROW EXECUTE FUNCTION stats_mark_question();
CREATE TRIGGER stats_question_update AFTER UPDATE OF department_id, visibility, created_at ON questions
    FOR EACH ROW EXECUTE FUNCTION stats_mark_question();
CREATE TRIGGER stats_answer_insert AFTER INSERT OR DELETE ON answers FOR EACH ROW EXECUTE FUNCTION stats_mark_answer();
CREATE TRIGGER stats_answer_update AFTER UPDATE OF department_id, received_at, due_at, created_at ON answers
    FOR EACH ROW EXECUTE FUNCTION stats_mark_answer();
CREATE TRIGGER stats_rating_change AFTER INSERT OR UPDATE OR DELETE ON ratings FOR EACH ROW EXECUTE FUNCTION stats_mark_rating();
CREATE TRIGGER stats_rectification_change AFTER INSERT OR UPDATE OR DELETE ON rectifications
    FOR EACH ROW EXECUTE FUNCTION stats_mark_rectification();

-- What existed before: counted by the first pass.
INSERT INTO stats_dirty (kind, subject_id) SELECT 'report', id FROM reports;
INSERT INTO stats_dirty (kind, subject_id) SELECT 'question', id FROM questions;
INSERT INTO stats_dirty (kind, subject_id) SELECT DISTINCT 'ratings:report', subject_id FROM ratings WHERE subject_kind = 'report';
INSERT INTO stats_dirty (kind, subject_id) SELECT 'rating', id FROM ratings WHERE subject_kind <> 'report';
INSERT INTO stats_dirty (kind, subject_id) SELECT 'rectification', id FROM rectifications;
