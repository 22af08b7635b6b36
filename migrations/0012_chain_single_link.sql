-- The linking function of 0009 with a path for the commonest commit: one event, the last the sequence drew (a single
-- writer's one-event command). Then the only candidate is the firing's own event, and the window statement, whose
-- executor start was most of a one-event link (about 0.3 of 0.5 ms backend time in a pgbench loop over Marten's
-- append function), is replaced by a one-row INSERT computing the same link with public.event_leaf, the documented
-- leaf. Every other commit (several events, or other writers' events drawn since) takes the set statement unchanged.
-- What is written is the same: the chain tests recompute every link with event_canonical, the auditor's SQL and the
-- C# verifier, over one-event and many-event commits alike.

CREATE OR REPLACE FUNCTION public.link_events(first_seq_id bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
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
    IF last_seq_id = first_seq_id THEN
        -- One candidate, the firing's own event (visible, and unlinked: chain_events looked). The set statement
        -- below would link exactly it; a one-row INSERT starts in a fraction of that statement's executor start.
        INSERT INTO public.event_chain (position, seq_id, form, prev_hash, hash, chained_at)
        SELECT head_position + 1, e.seq_id, 1, head_hash, sha256(head_hash || public.event_leaf(e)), head_at
        FROM public.mt_events e
        WHERE e.seq_id = first_seq_id;
        RETURN;
    END IF;
    WITH rendered AS (
        -- Each column rendered once (OFFSET 0 keeps the planner from substituting a rendering into every use).
        SELECT e.seq_id, e.seq_id::text AS c1, e.id::text AS c2, e.stream_id::text AS c3, e.version::text AS c4,
               e.type::text AS c5, e.data::text AS c6, encode(e.bdata, 'hex') AS c7, e.headers::text AS c8,
               e.correlation_id::text AS c9, e.causation_id::text AS c10, e.user_name::text AS c11,
               e.mt_dotnet_type::text AS c12, public.chain_instant(e.timestamp) AS c13, e.tenant_id::text AS c14
        FROM public.mt_events e
        WHERE e.seq_id BETWEEN first_seq_id AND last_seq_id
          AND NOT EXISTS (SELECT 1 FROM public.event_chain c WHERE c.seq_id = e.seq_id)
        OFFSET 0
    ), linked AS (
        SELECT r.seq_id,
               row_number() OVER w AS n,
               public.chain_link_fold(sha256(convert_to(
                      public.chain_field(r.c1) || public.chain_field(r.c2) || public.chain_field(r.c3)
                   || public.chain_field(r.c4) || public.chain_field(r.c5) || public.chain_field(r.c6)
                   || public.chain_field(r.c7) || public.chain_field(r.c8) || public.chain_field(r.c9)
                   || public.chain_field(r.c10) || public.chain_field(r.c11) || public.chain_field(r.c12)
                   || public.chain_field(r.c13) || public.chain_field(r.c14), 'UTF8')), head_hash) OVER w AS link
        FROM rendered r
        WINDOW w AS (ORDER BY r.seq_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    )
    INSERT INTO public.event_chain (position, seq_id, form, prev_hash, hash, chained_at)
    SELECT head_position + l.n, l.seq_id, 1, substring(l.link FROM 1 FOR 32), substring(l.link FROM 33), head_at
    FROM linked l;
END
$$;
