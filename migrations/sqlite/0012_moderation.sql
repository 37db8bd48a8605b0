-- Moderation by civic volunteers: residents' flags, the review queue (with claims so two
-- moderators never act on one item unawares), the public moderation log, appeals, posting
-- suspensions, the admin's word list and site settings (e.g. pre-moderation of Q&A).
-- Items are named by kind and id: 'comment', 'proposal', 'report', 'photo' (and the Q&A
-- kinds when they arrive), so no CHECK names the kinds; the domain checks them.
-- Kept in step with migrations/postgres/0012_moderation.sql (a test compares the schemas).

-- One flag per user per item, ever: a dismissed flag is not raised again by the same user.
CREATE TABLE flags (
    id           INTEGER PRIMARY KEY,
    item_kind    TEXT NOT NULL,
    item_id      INTEGER NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL CHECK (reason IN ('spam', 'abuse', 'personal_data', 'off_topic', 'other')),
    note         TEXT NOT NULL DEFAULT '',       -- the flagger's words ('other' needs them)
    created_at   TEXT NOT NULL,
    resolved_at  TEXT,                           -- a moderator acted on the item since
    UNIQUE (item_kind, item_id, user_id)
);
CREATE INDEX flags_user ON flags (user_id);

-- Every item that came to the moderators' attention, once; `open` while it waits.
CREATE TABLE moderation_queue (
    id             INTEGER PRIMARY KEY,
    item_kind      TEXT NOT NULL,
    item_id        INTEGER NOT NULL,
    author_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Why it (last) entered the queue: flags, premoderation, word_list, new_account, appeal.
    cause          TEXT NOT NULL,
    open_flags     INTEGER NOT NULL DEFAULT 0,   -- flags not yet resolved
    queued_at      TEXT NOT NULL,                -- the queue is oldest first
    open           BOOLEAN NOT NULL DEFAULT TRUE,
    claimed_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    claimed_until  TEXT,
    UNIQUE (item_kind, item_id)
);
CREATE INDEX moderation_queue_open ON moderation_queue (open, queued_at, id);
CREATE INDEX moderation_queue_author ON moderation_queue (author_id);

-- The public log: every action, automatic ones (moderator_id NULL) included. The handle is
-- the moderator's public name when they acted; the author is never shown.
CREATE TABLE moderation_log (
    id                INTEGER PRIMARY KEY,
    item_kind         TEXT NOT NULL,
    item_id           INTEGER NOT NULL,
    action            TEXT NOT NULL,
    reason            TEXT NOT NULL DEFAULT '',  -- a reason code
    note              TEXT NOT NULL DEFAULT '',  -- the moderator's public words
    moderator_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    moderator_handle  TEXT NOT NULL DEFAULT '',
    author_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    at                TEXT NOT NULL
);
CREATE INDEX moderation_log_item ON moderation_log (item_kind, item_id, id);
CREATE INDEX moderation_log_author ON moderation_log (author_id, action);

-- One appeal per hidden item, by its author, decided by someone other than who hid it.
CREATE TABLE appeals (
    id             INTEGER PRIMARY KEY,
    item_kind      TEXT NOT NULL,
    item_id        INTEGER NOT NULL,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body           TEXT NOT NULL,
    hidden_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    decided_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at     TEXT,
    outcome        TEXT CHECK (outcome IS NULL OR outcome IN ('restored', 'upheld')),
    UNIQUE (item_kind, item_id)
);

-- A user may read but not post until ends_at (NULL: banned, by an admin), unless lifted.
CREATE TABLE suspensions (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    ends_at     TEXT,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    lifted_at   TEXT,
    lifted_by   INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX suspensions_user ON suspensions (user_id, id);

-- Words and phrases that hold a post for review (matched anywhere, ignoring case).
CREATE TABLE moderation_words (
    id          INTEGER PRIMARY KEY,
    word        TEXT NOT NULL UNIQUE,
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);

-- The city's settings that admins change in the UI (e.g. qa_moderation = pre | post).
CREATE TABLE site_settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Pre-moderation per process: 'pre' holds every new proposal and comment for review.
ALTER TABLE processes ADD COLUMN moderation TEXT NOT NULL DEFAULT 'post' CHECK (moderation IN ('post', 'pre'));
-- hidden_reason holds a reason code; hidden_note the moderator's public words.
ALTER TABLE proposals ADD COLUMN hidden_note TEXT NOT NULL DEFAULT '';
ALTER TABLE proposals ADD COLUMN locked_at TEXT;        -- its discussion takes no new comments
ALTER TABLE comments ADD COLUMN hidden_note TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN locked_at TEXT;         -- set on a thread's first comment: no replies
-- A report's text can be hidden (the case goes on); a photo blurred (faces, plates), the
-- sharp version kept for staff.
ALTER TABLE reports ADD COLUMN visibility TEXT NOT NULL DEFAULT 'visible' CHECK (visibility IN ('visible', 'held', 'hidden'));
ALTER TABLE reports ADD COLUMN hidden_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN hidden_note TEXT NOT NULL DEFAULT '';
ALTER TABLE photos ADD COLUMN blurred_at TEXT;
ALTER TABLE photos ADD COLUMN sharp_display_key TEXT;
ALTER TABLE photos ADD COLUMN sharp_thumb_key TEXT;
