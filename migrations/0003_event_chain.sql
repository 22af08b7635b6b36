-- Tamper evidence on top of Marten: mt_events is append-only for everyone, and every event is linked
-- into a SHA-256 hash chain in its own transaction, at commit. docs/hash-chain.md defines the
-- canonical form and shows how to recompute a hash with psql alone; HashChain.cs does the same in C#.

-- 1. Append-only. No role, the owner included, may change or remove an event; corrections are new events.
CREATE FUNCTION public.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'LE010', HINT = 'Record a correcting event instead.';
END
$$;

CREATE TRIGGER mt_events_append_only BEFORE UPDATE OR DELETE ON public.mt_events
    FOR EACH ROW EXECUTE FUNCTION public.refuse_change();
CREATE TRIGGER mt_events_no_truncate BEFORE TRUNCATE ON public.mt_events
    FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

-- Marten fills the seq_id gaps a failed transaction leaves with "tombstone" events, written afterwards in a
-- transaction of their own (bookkeeping for its asynchronous daemon). They record nothing that happened, so
-- they are not let into the books; a gap in seq_id is expected, the chain's positions have none.
CREATE FUNCTION public.refuse_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Marten''s tombstone events are not recorded in the ledger' USING ERRCODE = 'LE013';
END
$$;
CREATE TRIGGER mt_events_no_tombstones BEFORE INSERT ON public.mt_events
    FOR EACH ROW WHEN (NEW.type = 'tombstone') EXECUTE FUNCTION public.refuse_tombstone();

-- 2. The chain: one link per event, gapless positions in commit order.
CREATE TABLE public.event_chain (
    position    bigint       PRIMARY KEY CHECK (position > 0),
    seq_id      bigint       NOT NULL UNIQUE,
    form        smallint     NOT NULL DEFAULT 1,
    prev_hash   bytea        NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash        bytea        NOT NULL CHECK (octet_length(hash) = 32),
    chained_at  timestamptz  NOT NULL
);
-- "The position an instant ends at": the last link chained at or before it (links of one transaction share chained_at).
CREATE INDEX event_chain_chained_at ON public.event_chain (chained_at, position);

CREATE TRIGGER event_chain_append_only BEFORE UPDATE OR DELETE ON public.event_chain
    FOR EACH ROW EXECUTE FUNCTION public.refuse_change();
CREATE TRIGGER event_chain_no_truncate BEFORE TRUNCATE ON public.event_chain
    FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change();

-- Only link_events(), run from the chain trigger, writes links: an INSERT that reaches this guard is refused
-- unless it is nested in another trigger (the chain trigger is the only one on mt_events that inserts here).
CREATE FUNCTION public.event_chain_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'event_chain is written only by the chain trigger on mt_events' USING ERRCODE = 'LE011';
    END IF;
    RETURN NULL;
END
$$;
-- Once per statement: the linking statement inserts all of a transaction's links at once.
CREATE TRIGGER event_chain_only_by_trigger BEFORE INSERT ON public.event_chain
    FOR EACH STATEMENT EXECUTE FUNCTION public.event_chain_guard();

-- Canonical form 1: a fixed list of mt_events columns, each as <UTF-8 byte length>:<text>; (NULL as -;).
-- jsonb in jsonb's own text output, bytea as lower-case hex, timestamp as Unix microseconds.
-- A column Marten adds later, or is_archived, is not part of it, so old hashes never break.
CREATE FUNCTION public.chain_field(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN '-;' ELSE octet_length(value)::text || ':' || value || ';' END
$$;

-- Unix microseconds; 'infinity' / '-infinity' as PostgreSQL prints them (Marten's tombstone rows carry -infinity).
CREATE FUNCTION public.chain_instant(value timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN isfinite(value) THEN (extract(epoch FROM value) * 1000000)::bigint::text ELSE value::text END
$$;

CREATE FUNCTION public.event_canonical(e public.mt_events) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT public.chain_field(e.seq_id::text)
        || public.chain_field(e.id::text)
        || public.chain_field(e.stream_id::text)
        || public.chain_field(e.version::text)
        || public.chain_field(e.type::text)
        || public.chain_field(e.data::text)
        || public.chain_field(encode(e.bdata, 'hex'))
        || public.chain_field(e.headers::text)
        || public.chain_field(e.correlation_id::text)
        || public.chain_field(e.causation_id::text)
        || public.chain_field(e.user_name::text)
        || public.chain_field(e.mt_dotnet_type::text)
        || public.chain_field(public.chain_instant(e.timestamp))
        || public.chain_field(e.tenant_id::text)
$$;

CREATE FUNCTION public.event_leaf(e public.mt_events) RETURNS bytea LANGUAGE sql STABLE AS $$
    SELECT sha256(convert_to(public.event_canonical(e), 'UTF8'))
$$;

-- hash = SHA-256(prev_hash || leaf), folded in seq_id order from the chain's head.
CREATE FUNCTION public.chain_step(state bytea, leaf bytea, head bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(coalesce(state, head) || leaf)
$$;
CREATE AGGREGATE public.chain_fold(bytea, bytea) (SFUNC = public.chain_step, STYPE = bytea);

-- A deferred constraint trigger: it fires at commit, once per event, in the order the events were inserted
-- (a savepoint rolled back takes its events' firings with it). The first firing finds its event unlinked and
-- links every event of the transaction — the visible, unlinked events from its own seq_id up to the last one
-- drawn — in one statement; the other firings find their event linked with one index probe and return. An
-- event inserted after an early SET CONSTRAINTS … IMMEDIATE is linked by its own firing. The chain's lock is
-- held from the linking statement to the commit only, however long the transaction ran before.
CREATE FUNCTION public.chain_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.event_chain c WHERE c.seq_id = NEW.seq_id) THEN
        PERFORM public.link_events(NEW.seq_id);
    END IF;
    RETURN NULL;
END
$$;

-- Links the unlinked events visible from first_seq_id on. Runs as the owner (only it may write the chain),
-- with generic plans: custom ones planned the canonical form's large expression again on every commit, and
-- the bounds are variables so the generic plan is an index range scan whatever the table's statistics.
CREATE FUNCTION public.link_events(first_seq_id bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    last_seq_id bigint;
    head_position bigint := 0;
    head_hash bytea := '\x0000000000000000000000000000000000000000000000000000000000000000';
    head_at timestamptz;
BEGIN
    -- The head must be read in a fresh snapshot, which only READ COMMITTED gives a statement.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'events are appended in READ COMMITTED transactions only (this one is %): the chain''s head must be read after its lock is taken',
            current_setting('transaction_isolation') USING ERRCODE = 'LE012';
    END IF;
    -- One lock per schema: hashtext('public.event_chain').
    PERFORM pg_advisory_xact_lock(hashtext('public.event_chain'));
    -- Every event of this transaction was drawn by now; events other transactions drew later are not visible.
    last_seq_id := greatest(first_seq_id, pg_sequence_last_value('public.mt_events_sequence'));
    SELECT c.position, c.hash, c.chained_at INTO head_position, head_hash, head_at
        FROM public.event_chain c ORDER BY c.position DESC LIMIT 1;
    IF NOT FOUND THEN
        head_position := 0;
        head_hash := '\x0000000000000000000000000000000000000000000000000000000000000000';
    END IF;
    -- Taken under the lock, so chained_at never goes backwards along position, even if the clock does.
    head_at := greatest(clock_timestamp(), head_at);
    WITH linked AS (
        SELECT e.seq_id,
               row_number() OVER w AS n,
               public.chain_fold(public.event_leaf(e), head_hash) OVER w AS hash
        FROM public.mt_events e
        WHERE e.seq_id BETWEEN first_seq_id AND last_seq_id
          AND NOT EXISTS (SELECT 1 FROM public.event_chain c WHERE c.seq_id = e.seq_id)
        WINDOW w AS (ORDER BY e.seq_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    )
    INSERT INTO public.event_chain (position, seq_id, form, prev_hash, hash, chained_at)
    SELECT head_position + l.n, l.seq_id, 1, coalesce(lag(l.hash) OVER (ORDER BY l.n), head_hash), l.hash, head_at
    FROM linked l;
END
$$;

CREATE CONSTRAINT TRIGGER mt_events_chain AFTER INSERT ON public.mt_events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.chain_events();

-- Marten's exported DDL writes the timestamp default as the literal '(now())', which PostgreSQL turns into
-- the instant the migration ran; Marten's append functions always supply it, any other writer gets now().
ALTER TABLE public.mt_events ALTER COLUMN timestamp SET DEFAULT now();

-- The application reads the chain (verify, as-of reads) and never writes it.
REVOKE ALL ON public.event_chain FROM PUBLIC;
GRANT SELECT ON public.event_chain TO ledger_app;
-- The application's sessions fire the chain trigger, which calls link_events: it may only link what is visible
-- and not yet linked, at the chain's head, under the lock.
REVOKE ALL ON FUNCTION public.chain_events() FROM PUBLIC;
REVOKE ALL ON FUNCTION public.link_events(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.link_events(bigint) TO ledger_app;
