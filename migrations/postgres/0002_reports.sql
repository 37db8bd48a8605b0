-- Reports of problems in public space: categories (Open311 services) in groups, the city's
-- management grids, reports with photos and a public timeline, "me too" supports, follows,
-- and in-app notifications.
-- Kept in step with migrations/sqlite/0002_reports.sql (a test compares the schemas).

CREATE TABLE category_groups (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    position    BIGINT NOT NULL DEFAULT 0
);

-- A category is an Open311 service: `code` is its service_code.
CREATE TABLE categories (
    id                BIGSERIAL PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    group_id          BIGINT NOT NULL REFERENCES category_groups (id),
    name_zh           TEXT NOT NULL,
    name_en           TEXT NOT NULL,
    description_zh    TEXT NOT NULL DEFAULT '',
    description_en    TEXT NOT NULL DEFAULT '',
    keywords          TEXT NOT NULL DEFAULT '',   -- comma-separated, both languages
    department_id     BIGINT NOT NULL REFERENCES departments (id),
    time_limit_hours  BIGINT NOT NULL CHECK (time_limit_hours > 0),
    attributes        TEXT NOT NULL DEFAULT '[]', -- JSON: the Open311 service definition attributes
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    position          BIGINT NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

-- Management grids (网格): GeoJSON polygons with their bounding box for a cheap pre-filter.
CREATE TABLE grids (
    id             BIGSERIAL PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name_zh        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    department_id  BIGINT REFERENCES departments (id),
    geometry       TEXT NOT NULL,                 -- GeoJSON Polygon or MultiPolygon
    min_lat        DOUBLE PRECISION NOT NULL,
    min_lon        DOUBLE PRECISION NOT NULL,
    max_lat        DOUBLE PRECISION NOT NULL,
    max_lon        DOUBLE PRECISION NOT NULL,
    area_m2        DOUBLE PRECISION NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX grids_bbox ON grids (min_lat, max_lat);

CREATE TABLE reports (
    id              BIGSERIAL PRIMARY KEY,
    category_id     BIGINT NOT NULL REFERENCES categories (id),
    grid_id         BIGINT REFERENCES grids (id),
    department_id   BIGINT NOT NULL REFERENCES departments (id),
    status          TEXT NOT NULL DEFAULT 'submitted'
                    CHECK (status IN ('submitted', 'accepted', 'in_progress', 'resolved', 'closed', 'rejected', 'reopened')),
    description     TEXT NOT NULL,
    lat             DOUBLE PRECISION NOT NULL,
    lon             DOUBLE PRECISION NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    attributes      TEXT NOT NULL DEFAULT '{}',   -- JSON: answers to the category's attributes
    reporter_id     BIGINT REFERENCES users (id) ON DELETE SET NULL,
    hide_name       BOOLEAN NOT NULL DEFAULT FALSE,
    tracking_hash   TEXT UNIQUE,                  -- SHA-256 of an anonymous reporter's tracking code
    submit_token    TEXT NOT NULL UNIQUE,         -- the form's one-time token: a double submit is one report
    support_count   BIGINT NOT NULL DEFAULT 0,
    due_at          TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX reports_category ON reports (category_id, id);
CREATE INDEX reports_status ON reports (status, id);
CREATE INDEX reports_grid ON reports (grid_id, id);
CREATE INDEX reports_department ON reports (department_id, id);
CREATE INDEX reports_reporter ON reports (reporter_id, id);
CREATE INDEX reports_created ON reports (created_at);
CREATE INDEX reports_place ON reports (lat, lon);

-- Photos are uploaded while the form is filled in (kept by the form's token), then attached.
CREATE TABLE photos (
    id              BIGSERIAL PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,         -- random; names the photo in URLs
    report_id       BIGINT REFERENCES reports (id) ON DELETE CASCADE,
    form_token      TEXT NOT NULL,
    position        BIGINT NOT NULL DEFAULT 0,
    display_key     TEXT NOT NULL,
    thumb_key       TEXT NOT NULL,
    display_width   BIGINT NOT NULL,
    display_height  BIGINT NOT NULL,
    thumb_width     BIGINT NOT NULL,
    thumb_height    BIGINT NOT NULL,
    bytes           BIGINT NOT NULL,
    sha256          TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX photos_report ON photos (report_id, position);
CREATE INDEX photos_form ON photos (form_token);

-- The timeline. Entries that are not public (internal notes) never leave the back office.
CREATE TABLE report_events (
    id                   BIGSERIAL PRIMARY KEY,
    report_id            BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    kind                 TEXT NOT NULL,           -- submitted, status, note, supported, ...
    status               TEXT,                    -- the status after this entry, when it changed it
    public               BOOLEAN NOT NULL DEFAULT TRUE,
    actor_role           TEXT NOT NULL,           -- resident, official, admin, system
    actor_department_id  BIGINT REFERENCES departments (id),
    actor_id             BIGINT REFERENCES users (id) ON DELETE SET NULL,  -- never shown publicly
    note                 TEXT NOT NULL DEFAULT '',
    at                   TIMESTAMPTZ NOT NULL
);
CREATE INDEX report_events_report ON report_events (report_id, id);

CREATE TABLE report_supports (
    report_id   BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (report_id, user_id)
);

CREATE TABLE report_follows (
    report_id   BIGINT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (report_id, user_id)
);
CREATE INDEX report_follows_user ON report_follows (user_id);

CREATE TABLE notifications (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    report_id   BIGINT REFERENCES reports (id) ON DELETE CASCADE,
    event_id    BIGINT REFERENCES report_events (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    read_at     TIMESTAMPTZ
);
CREATE INDEX notifications_user ON notifications (user_id, id);

-- A form sent without JavaScript that had problems: what was typed and what was wrong,
-- kept under the hash of the form's one-time token so the form comes back filled in.
CREATE TABLE form_flash (
    token_hash  TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

-- Residents choose whether updates also come by email.
ALTER TABLE users ADD COLUMN email_notifications BOOLEAN NOT NULL DEFAULT FALSE;
