-- The read side of reports (docs/reports.md): enterprise histories, award money movements (append-only: the source of
-- as-of totals and reconciliation listings), annual totals and budget execution (atomic increments), published
-- figures. Every row is kept by the inline projections in the appending transaction and can be rebuilt from the
-- events (`ledger rebuild`). History and movement rows name the event that proves them; its seq and chain position are
-- joined in when read, through Marten's unique index on mt_events.id (0002: EnableUniqueIndexOnEventId).

ALTER TABLE public.awards ADD COLUMN issuer_code text NOT NULL;
-- The county the enterprise was in on the value date: payments (and their returns) are reported there.
ALTER TABLE public.disbursements ADD COLUMN paid_county_code text;
CREATE INDEX awards_determination ON public.awards (determination_date);

CREATE TABLE public.enterprises (
    enterprise_id  uuid  PRIMARY KEY,
    uscc           text  NOT NULL UNIQUE,
    name           text  NOT NULL,
    county_code    text  NOT NULL
);

CREATE TABLE public.award_history (
    event_id         uuid           PRIMARY KEY,
    enterprise_id    uuid           NOT NULL,
    county_code      text           NOT NULL,
    kind             text           NOT NULL,
    business_date    date           NOT NULL,
    amount           numeric(18, 2),
    tier             text,
    designation_id   uuid,
    award_id         uuid,
    disbursement_id  uuid,
    valid_to         date,
    detail           text           NOT NULL
);
CREATE INDEX award_history_enterprise ON public.award_history (enterprise_id);
CREATE INDEX award_history_designations ON public.award_history (tier, county_code) WHERE designation_id IS NOT NULL AND award_id IS NULL;

CREATE TABLE public.award_movements (
    event_id       uuid           NOT NULL,
    measure        text           NOT NULL CHECK (measure IN ('determined', 'reserved', 'paid', 'returned', 'clawed_back', 'repaid')),
    level          text           NOT NULL,
    award_id       uuid           NOT NULL,
    enterprise_id  uuid           NOT NULL,
    county_code    text           NOT NULL,
    tier           text           NOT NULL,
    issuer_code    text           NOT NULL,
    fiscal_year    int            NOT NULL,
    business_date  date           NOT NULL,
    amount         numeric(18, 2) NOT NULL,
    PRIMARY KEY (event_id, measure, level)
);
-- Covering: county-year totals, counts and as-of sums read the index alone (rows are stored in commit order, not by county).
CREATE INDEX award_movements_year_county ON public.award_movements (fiscal_year, county_code, measure)
    INCLUDE (enterprise_id, award_id, issuer_code, amount, event_id);
CREATE INDEX award_movements_award ON public.award_movements (award_id);

CREATE TABLE public.annual_totals (
    fiscal_year  int            NOT NULL,
    county_code  text           NOT NULL,
    tier         text           NOT NULL,
    level        text           NOT NULL,
    issuer_code  text           NOT NULL,
    determined   numeric(18, 2) NOT NULL DEFAULT 0,
    reserved     numeric(18, 2) NOT NULL DEFAULT 0,
    paid         numeric(18, 2) NOT NULL DEFAULT 0,
    returned     numeric(18, 2) NOT NULL DEFAULT 0,
    clawed_back  numeric(18, 2) NOT NULL DEFAULT 0,
    repaid       numeric(18, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (fiscal_year, county_code, tier, level, issuer_code)
);

CREATE TABLE public.budget_execution (
    division_code  text           NOT NULL,
    fiscal_year    int            NOT NULL,
    level          text           NOT NULL,
    appropriated   numeric(18, 2) NOT NULL DEFAULT 0,
    adjusted       numeric(18, 2) NOT NULL DEFAULT 0,
    reserved       numeric(18, 2) NOT NULL DEFAULT 0,
    paid           numeric(18, 2) NOT NULL DEFAULT 0,
    returned       numeric(18, 2) NOT NULL DEFAULT 0,
    repaid         numeric(18, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (division_code, fiscal_year, level)
);
CREATE INDEX budget_execution_year ON public.budget_execution (fiscal_year);

CREATE TABLE public.published_figures (
    figure_id          uuid           PRIMARY KEY,
    jurisdiction_code  text           NOT NULL,
    fiscal_year        int            NOT NULL,
    measure            text           NOT NULL,
    basis              text           NOT NULL,
    value              numeric(20, 2) NOT NULL,
    unit               text           NOT NULL,
    lower_bound        boolean        NOT NULL,
    source             text           NOT NULL,
    quote              text           NOT NULL,
    revision           int            NOT NULL,
    UNIQUE (jurisdiction_code, fiscal_year, measure, basis)
);

REVOKE ALL ON public.enterprises, public.award_history, public.award_movements, public.annual_totals,
    public.budget_execution, public.published_figures FROM PUBLIC;
-- Append-only rows are inserted, never changed; the increment tables and the per-stream rows are upserted.
GRANT SELECT, INSERT ON public.award_history, public.award_movements TO ledger_app;
GRANT SELECT, INSERT, UPDATE ON public.enterprises, public.annual_totals, public.budget_execution, public.published_figures TO ledger_app;
