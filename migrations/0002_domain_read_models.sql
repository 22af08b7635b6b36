-- Read models kept inline with the append (same transaction): indexes the handlers use to find
-- the streams a decision needs, and the rows reports start from. The events stay the truth;
-- every row here can be rebuilt from them.

CREATE TABLE designations (
    designation_id  uuid    PRIMARY KEY,
    enterprise_id   uuid    NOT NULL,
    tier            text    NOT NULL,
    round           int     NOT NULL,
    county_code     text    NOT NULL,
    status          text    NOT NULL,
    recognized_on   date,
    valid_to        date,
    last_seq        bigint  NOT NULL,
    UNIQUE (enterprise_id, tier, round)
);
CREATE INDEX designations_expiry ON designations (status, valid_to);

-- Every recognition and passed renewal: the facts a policy issued or amended later catches up on.
CREATE TABLE award_triggers (
    designation_id  uuid    NOT NULL,
    trigger         text    NOT NULL,
    trigger_date    date    NOT NULL,
    enterprise_id   uuid    NOT NULL,
    county_code     text    NOT NULL,
    tier            text    NOT NULL,
    PRIMARY KEY (designation_id, trigger, trigger_date)
);
CREATE INDEX award_triggers_county ON award_triggers (county_code);

CREATE TABLE policies (
    policy_id        uuid    PRIMARY KEY,
    issuer_code      text    NOT NULL,
    title            text    NOT NULL,
    document_number  text    NOT NULL,
    version          int     NOT NULL,
    retired_on       date,
    last_seq         bigint  NOT NULL
);
CREATE INDEX policies_issuer ON policies (issuer_code);

CREATE TABLE awards (
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
    status              text           NOT NULL,
    last_seq            bigint         NOT NULL
);
CREATE INDEX awards_policy_enterprise ON awards (policy_id, enterprise_id);
CREATE INDEX awards_designation ON awards (designation_id);
CREATE INDEX awards_enterprise ON awards (enterprise_id);
