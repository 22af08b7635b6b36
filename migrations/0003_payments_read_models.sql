-- Treasury voucher numbers are unique across the ledger: the database refuses a second payment
-- under a voucher already used, whichever award it pays.
CREATE TABLE vouchers (
    voucher_number   text    PRIMARY KEY,
    award_id         uuid    NOT NULL,
    disbursement_id  uuid    NOT NULL,
    last_seq         bigint  NOT NULL
);

-- Every disbursement with its current status: the approval queue and the payment reports start here.
CREATE TABLE disbursements (
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
    value_date       date,
    last_seq         bigint         NOT NULL
);
CREATE INDEX disbursements_award ON disbursements (award_id);
CREATE INDEX disbursements_status ON disbursements (status, county_code);
