-- Read models kept inline with the events (Marten inline projections, same transaction): the
-- indexes handlers use to find the streams a decision needs. The events stay the truth; every row
-- here can be rebuilt from them. Rows are keyed by one stream each, never read-modify-written by
-- several streams at once.

CREATE TABLE public.idempotency_keys (
    key          text        PRIMARY KEY,
    fingerprint  text        NOT NULL,
    actor        text        NOT NULL,
    result       jsonb       NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.designations (
    designation_id  uuid    PRIMARY KEY,
    enterprise_id   uuid    NOT NULL,
    tier            text    NOT NULL,
    round           int     NOT NULL,
    county_code     text    NOT NULL,
    status          text    NOT NULL,
    recognized_on   date,
    valid_to        date,
    UNIQUE (enterprise_id, tier, round)
);
CREATE INDEX designations_expiry ON public.designations (status, valid_to);

-- Every recognition and passed renewal: the facts a policy issued or amended later catches up on.
CREATE TABLE public.award_triggers (
    designation_id  uuid    NOT NULL,
    trigger         text    NOT NULL,
    trigger_date    date    NOT NULL,
    enterprise_id   uuid    NOT NULL,
    county_code     text    NOT NULL,
    tier            text    NOT NULL,
    PRIMARY KEY (designation_id, trigger, trigger_date)
);
CREATE INDEX award_triggers_county ON public.award_triggers (county_code);

CREATE TABLE public.policies (
    policy_id        uuid    PRIMARY KEY,
    issuer_code      text    NOT NULL,
    title            text    NOT NULL,
    document_number  text    NOT NULL,
    version          int     NOT NULL,
    retired_on       date,
    UNIQUE (issuer_code, document_number)
);

CREATE TABLE public.awards (
    award_id            uuid           PRIMARY KEY,
    enterprise_id       uuid           NOT NULL,
    designation_id      uuid           NOT NULL,
    policy_id           uuid           NOT NULL,
    policy_version      int            NOT NULL,
    county_code         text           NOT NULL,
    tier                text           NOT NULL,
    trigger             text           NOT NULL,
    trigger_date        date           NOT NULL,
    determination_date  date           NOT NULL,
    amount              numeric(18, 2) NOT NULL CHECK (amount >= 0),
    status              text           NOT NULL
);
CREATE INDEX awards_policy_enterprise ON public.awards (policy_id, enterprise_id);
CREATE INDEX awards_designation ON public.awards (designation_id);
CREATE INDEX awards_enterprise ON public.awards (enterprise_id);

-- Treasury voucher numbers are unique across the ledger: the database refuses a second payment
-- under a voucher already used, whichever award it pays.
CREATE TABLE public.vouchers (
    voucher_number   text    PRIMARY KEY,
    award_id         uuid    NOT NULL,
    disbursement_id  uuid    NOT NULL
);

-- Every disbursement with its current status: the approval queue and the payment reports start here.
CREATE TABLE public.disbursements (
    disbursement_id  uuid           PRIMARY KEY,
    award_id         uuid           NOT NULL,
    enterprise_id    uuid           NOT NULL,
    county_code      text           NOT NULL,
    level            text           NOT NULL,
    division_code    text           NOT NULL,
    planned_year     int            NOT NULL,
    amount           numeric(18, 2) NOT NULL CHECK (amount > 0),
    status           text           NOT NULL,
    approvals        int            NOT NULL DEFAULT 0,
    voucher_number   text,
    value_date       date
);
CREATE INDEX disbursements_award ON public.disbursements (award_id);
CREATE INDEX disbursements_status ON public.disbursements (status, county_code);

REVOKE ALL ON public.idempotency_keys, public.designations, public.award_triggers, public.policies,
    public.awards, public.vouchers, public.disbursements FROM PUBLIC;
-- Idempotency records are written once and read; the read tables are kept by the projections.
GRANT SELECT, INSERT ON public.idempotency_keys TO ledger_app;
GRANT SELECT, INSERT, UPDATE ON public.designations, public.award_triggers, public.policies,
    public.awards, public.vouchers, public.disbursements TO ledger_app;
