-- The HTTP API (src/Ledger.Api): its users and their tokens, the read log, and its idempotency records.

-- Users hold bearer tokens issued by `ledger users add`; only the SHA-256 of a token is stored. A revoked or expired
-- token no longer authenticates. One active token per name and role (a person who is both clerk and approver holds two).
CREATE TABLE public.api_users (
    user_id        uuid         PRIMARY KEY,
    name           text         NOT NULL,
    role           text         NOT NULL CHECK (role IN ('clerk', 'approver', 'auditor', 'bureau-head', 'admin')),
    division_code  text         NOT NULL,
    token_hash     text         NOT NULL UNIQUE,
    created_at     timestamptz  NOT NULL,
    expires_at     timestamptz  NOT NULL,
    revoked_at     timestamptz
);
CREATE UNIQUE INDEX api_users_active_name ON public.api_users (name, role) WHERE revoked_at IS NULL;

-- Who read which enterprise history or event page, and when: its own append-only table, not events, so reading
-- never moves the chain's head.
CREATE TABLE public.api_read_log (
    entry_id   bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    read_at    timestamptz  NOT NULL,
    user_name  text         NOT NULL,
    role       text         NOT NULL,
    resource   text         NOT NULL,
    detail     text         NOT NULL
);
CREATE TRIGGER api_read_log_append_only BEFORE UPDATE OR DELETE ON public.api_read_log
    FOR EACH ROW EXECUTE FUNCTION public.refuse_change();
CREATE TRIGGER api_read_log_no_truncate BEFORE TRUNCATE ON public.api_read_log
    FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

-- Idempotency-Key of every POST: the first request's fingerprint (user, method, path, body) and, once answered, its
-- status and body, which a repeat with the same key and body gets again.
CREATE TABLE public.api_requests (
    idempotency_key  text         PRIMARY KEY,
    fingerprint      text         NOT NULL,
    status           int,
    content_type     text,
    body             text,
    created_at       timestamptz  NOT NULL,
    completed_at     timestamptz
);

REVOKE ALL ON public.api_users, public.api_read_log, public.api_requests FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON public.api_users TO ledger_app;
GRANT SELECT, INSERT ON public.api_read_log TO ledger_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.api_requests TO ledger_app;
