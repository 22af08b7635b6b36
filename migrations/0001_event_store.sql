-- The event store: streams, the append-only event log with its hash chain, idempotency keys.
-- Application sessions run as ledger_app, which may append but never change or remove an event.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
        CREATE ROLE ledger_app NOLOGIN;
    END IF;
END
$$;

-- The owner (LEDGER_DB's user) switches to ledger_app for application work.
GRANT ledger_app TO CURRENT_USER;

CREATE TABLE streams (
    id           uuid        PRIMARY KEY,
    type         text        NOT NULL,
    natural_key  text,
    version      bigint      NOT NULL CHECK (version > 0),
    county_code  text        NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    archived     boolean     NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX streams_type_natural_key ON streams (type, natural_key) WHERE natural_key IS NOT NULL;

CREATE TABLE events (
    seq             bigint      PRIMARY KEY CHECK (seq > 0),
    event_id        uuid        NOT NULL UNIQUE,
    stream_id       uuid        NOT NULL,
    stream_version  bigint      NOT NULL CHECK (stream_version > 0),
    event_type      text        NOT NULL,
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    county_code     text        NOT NULL,
    recorded_at     timestamptz NOT NULL,
    prev_hash       bytea       NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash            bytea       NOT NULL CHECK (octet_length(hash) = 32),
    UNIQUE (stream_id, stream_version)
);
CREATE INDEX events_type_seq ON events (event_type, seq);
CREATE INDEX events_recorded_at ON events (recorded_at);

CREATE TABLE idempotency_keys (
    key          text        PRIMARY KEY,
    fingerprint  text        NOT NULL,
    result       jsonb       NOT NULL,
    recorded_at  timestamptz NOT NULL
);

CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % on events is refused; record a correcting event instead', TG_OP
        USING ERRCODE = 'LE010';
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

-- One event's canonical form: every stored column but the hashes, each as its UTF-8 byte length,
-- ':', the text, ';'. jsonb's own text output is canonical (key order and spacing are fixed); the
-- bytes a client sent are not. recorded_at enters as microseconds since the Unix epoch so the
-- server's TimeZone setting cannot change it. STABLE (extract is) so the planner inlines it.
CREATE FUNCTION event_canonical(
    p_seq bigint, p_event_id uuid, p_stream_id uuid, p_stream_version bigint, p_event_type text,
    p_data text, p_metadata text, p_county_code text, p_recorded_at timestamptz
) RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT convert_to(
        octet_length(p_seq::text) || ':' || p_seq::text || ';' ||
        octet_length(p_event_id::text) || ':' || p_event_id::text || ';' ||
        octet_length(p_stream_id::text) || ':' || p_stream_id::text || ';' ||
        octet_length(p_stream_version::text) || ':' || p_stream_version::text || ';' ||
        octet_length(p_event_type) || ':' || p_event_type || ';' ||
        octet_length(p_data) || ':' || p_data || ';' ||
        octet_length(p_metadata) || ':' || p_metadata || ';' ||
        octet_length(p_county_code) || ':' || p_county_code || ';' ||
        octet_length((extract(epoch FROM p_recorded_at) * 1000000)::bigint::text) || ':' ||
            (extract(epoch FROM p_recorded_at) * 1000000)::bigint::text || ';',
        'UTF8')
$$;

-- The chain: hash = SHA-256(prev_hash || SHA-256(canonical form)). Each event's own digest (the
-- leaf) is computed set-based; only the short link step is sequential.

-- The chain's head: the last event's seq, hash and recorded_at, or the genesis (seq 0, 32 zero bytes)
-- for an empty log. Inlined where it is called; read under the head lock it is the head appends extend.
CREATE FUNCTION chain_head() RETURNS TABLE (seq bigint, hash bytea, recorded_at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT h.seq, h.hash, h.recorded_at FROM (
        (SELECT e.seq, e.hash, e.recorded_at FROM public.events e ORDER BY e.seq DESC LIMIT 1)
        UNION ALL
        SELECT 0, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea, '-infinity'::timestamptz
    ) h ORDER BY h.seq DESC LIMIT 1
$$;

-- Appends one command's events to one stream: the common case, with scalar statements only (see
-- append_commands for a batch, or a command on several streams). Expected version: -1 any, 0 the
-- stream must not exist, n the stream must be at version n. Errors as append_commands.
-- SECURITY DEFINER: the application role cannot insert into events itself; these are the only ways in.
-- Every relation and function of ours is schema-qualified: SECURITY DEFINER must not resolve names
-- through the caller's search_path, and a SET search_path clause would cost a third of an append.
CREATE FUNCTION append_command(
    p_key text, p_fingerprint text,
    p_stream uuid, p_type text, p_natural_key text, p_expected bigint, p_county text,
    e_id uuid[], e_type text[], e_data jsonb[], e_metadata jsonb[],
    OUT replayed boolean, OUT from_version bigint, OUT to_version bigint,
    OUT first_seq bigint, OUT last_seq bigint, OUT recorded_at timestamptz
) LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_events int := coalesce(cardinality(e_id), 0);
    v_head_seq bigint;
    v_head_hash bytea;
    v_head_at timestamptz;
    v_now timestamptz;
    v_current bigint;
    v_written int;
    v_fingerprint text;
    v_result jsonb;
    v_holder uuid;
    v_link bytea;
    i int;
BEGIN
    IF v_events = 0 OR cardinality(e_type) <> v_events OR cardinality(e_data) <> v_events OR cardinality(e_metadata) <> v_events THEN
        RAISE EXCEPTION 'append_command: event arrays of unequal length, or nothing to append' USING ERRCODE = 'LE004';
    END IF;

    -- The head lock: appends serialize here until their transaction ends.
    PERFORM pg_advisory_xact_lock(7250431);

    IF p_key IS NOT NULL THEN
        SELECT k.fingerprint, k.result INTO v_fingerprint, v_result FROM public.idempotency_keys k WHERE k.key = p_key;
        IF FOUND THEN
            IF v_fingerprint IS DISTINCT FROM p_fingerprint THEN
                RAISE EXCEPTION 'idempotency key % was already used for a different command', p_key
                    USING ERRCODE = 'LE002', DETAIL = jsonb_build_object('key', p_key)::text;
            END IF;
            replayed := true;
            from_version := (v_result->'streams'->0->>'fromVersion')::bigint;
            to_version := (v_result->'streams'->0->>'toVersion')::bigint;
            first_seq := (v_result->>'firstSeq')::bigint;
            last_seq := (v_result->>'lastSeq')::bigint;
            SELECT e.recorded_at INTO recorded_at FROM public.events e WHERE e.seq = first_seq;
            RETURN;
        END IF;
    END IF;

    SELECT h.seq, h.hash, h.recorded_at INTO v_head_seq, v_head_hash, v_head_at FROM public.chain_head() h;
    -- recorded_at never goes backwards along seq, so "as of an instant" is a prefix of the log.
    v_now := greatest(clock_timestamp(), v_head_at);

    IF p_natural_key IS NOT NULL THEN
        SELECT st.id INTO v_holder FROM public.streams st
         WHERE st.type = p_type AND st.natural_key = p_natural_key AND st.id <> p_stream;
        IF FOUND THEN
            RAISE EXCEPTION 'the % key % is already held by stream %', p_type, p_natural_key, v_holder
                USING ERRCODE = 'LE003', DETAIL = jsonb_build_object(
                    'streamType', p_type, 'naturalKey', p_natural_key, 'existingStreamId', v_holder)::text;
        END IF;
    END IF;
    -- The stream row is written first, and the write is the version check: no separate lookup.
    IF p_expected = 0 THEN
        v_current := 0;
        INSERT INTO public.streams (id, type, natural_key, version, county_code, created_at, updated_at)
        VALUES (p_stream, p_type, p_natural_key, v_events, p_county, v_now, v_now)
        ON CONFLICT (id) DO NOTHING;
        GET DIAGNOSTICS v_written = ROW_COUNT;
    ELSIF p_expected > 0 THEN
        v_current := p_expected;
        UPDATE public.streams SET version = v_current + v_events, updated_at = v_now
         WHERE id = p_stream AND version = v_current;
        GET DIAGNOSTICS v_written = ROW_COUNT;
    ELSE
        INSERT INTO public.streams AS st (id, type, natural_key, version, county_code, created_at, updated_at)
        VALUES (p_stream, p_type, p_natural_key, v_events, p_county, v_now, v_now)
        ON CONFLICT (id) DO UPDATE SET version = st.version + v_events, updated_at = v_now
        RETURNING st.version - v_events INTO v_current;
        v_written := 1;
    END IF;
    IF v_written = 0 THEN
        SELECT coalesce((SELECT st.version FROM public.streams st WHERE st.id = p_stream), 0) INTO v_current;
        RAISE EXCEPTION 'stream % is at version %, expected %', p_stream, v_current, p_expected
            USING ERRCODE = 'LE001', DETAIL = jsonb_build_object(
                'streamId', p_stream, 'expected', p_expected, 'actual', v_current)::text;
    END IF;

    v_link := v_head_hash;
    FOR i IN 1 .. v_events LOOP
        INSERT INTO public.events (seq, event_id, stream_id, stream_version, event_type, data, metadata, county_code, recorded_at, prev_hash, hash)
        VALUES (v_head_seq + i, e_id[i], p_stream, v_current + i, e_type[i], e_data[i], e_metadata[i], p_county, v_now, v_link,
                sha256(v_link || sha256(public.event_canonical(v_head_seq + i, e_id[i], p_stream, v_current + i, e_type[i],
                                                                e_data[i]::text, e_metadata[i]::text, p_county, v_now))))
        RETURNING hash INTO v_link;
    END LOOP;

    IF p_key IS NOT NULL THEN
        INSERT INTO public.idempotency_keys (key, fingerprint, result, recorded_at)
        VALUES (p_key, p_fingerprint, jsonb_build_object(
            'firstSeq', v_head_seq + 1, 'lastSeq', v_head_seq + v_events,
            'recordedAtMicros', (extract(epoch FROM v_now) * 1000000)::bigint,
            'streams', jsonb_build_array(jsonb_build_object(
                'streamId', p_stream, 'fromVersion', v_current + 1, 'toVersion', v_current + v_events))), v_now);
    END IF;
    replayed := false;
    from_version := v_current + 1;
    to_version := v_current + v_events;
    first_seq := v_head_seq + 1;
    last_seq := v_head_seq + v_events;
    recorded_at := v_now;
END
$$;

-- Appends a batch of commands (a single command is a batch of one) in one statement: one round
-- trip, one transaction-level head lock, a gapless seq, the chain extended. Commands come as
-- parallel arrays (c_*); their stream appends as parallel arrays (s_*, s_cmd naming the command);
-- the events as parallel arrays (e_*, e_stream naming the stream append), all indexes 1-based.
-- Expected version: -1 any, 0 the stream must not exist, n the stream must be at version n.
-- A command whose idempotency key is recorded with the same fingerprint is answered from the
-- record and appends nothing. Errors: LE001 version conflict, LE002 idempotency key reused for a
-- different command, LE003 natural key held by another stream, LE004 malformed call.
-- SECURITY DEFINER: the application role cannot insert into events itself; this is the only way in.
-- The recorded results of the commands under these keys, as append_commands returns them (replayed).
CREATE FUNCTION idempotent_results(p_keys text[])
RETURNS TABLE (cmd int, replayed boolean, stream_id uuid, from_version bigint, to_version bigint,
               first_seq bigint, last_seq bigint, recorded_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT c.n::int, true, (r->>'streamId')::uuid, (r->>'fromVersion')::bigint, (r->>'toVersion')::bigint,
           (k.result->>'firstSeq')::bigint, (k.result->>'lastSeq')::bigint, ev.recorded_at
      FROM unnest(p_keys) WITH ORDINALITY AS c (key, n)
      JOIN public.idempotency_keys k ON k.key = c.key
      JOIN public.events ev ON ev.seq = (k.result->>'firstSeq')::bigint
      CROSS JOIN LATERAL jsonb_array_elements(k.result->'streams') AS r
$$;

CREATE FUNCTION append_commands(
    c_key text[], c_fingerprint text[],
    s_cmd int[], s_id uuid[], s_type text[], s_natural_key text[], s_expected bigint[], s_county text[],
    e_stream int[], e_id uuid[], e_type text[], e_data jsonb[], e_metadata jsonb[]
) RETURNS TABLE (cmd int, replayed boolean, stream_id uuid, from_version bigint, to_version bigint,
                 first_seq bigint, last_seq bigint, recorded_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_commands int := coalesce(cardinality(c_key), 0);
    v_streams int := coalesce(cardinality(s_id), 0);
    v_events int := coalesce(cardinality(e_id), 0);
    v_keyed boolean := false;
    v_replayed boolean[];
    v_active boolean[];
    v_current bigint[];
    v_added bigint[];
    v_first bigint[];
    v_last bigint[];
    v_head_seq bigint;
    v_head_hash bytea;
    v_head_at timestamptz;
    v_now timestamptz;
    v_bad record;
    v_seq bigint[];
    v_version bigint[];
    v_stream int[];
    v_event_id uuid[];
    v_stream_id uuid[];
    v_type text[];
    v_data jsonb[];
    v_metadata jsonb[];
    v_county text[];
    v_leaf bytea[];
    v_prev bytea[];
    v_hash bytea[];
    v_link bytea;
    v_count int;
    v_cmd int;
    i int;
BEGIN
    IF v_commands = 0 OR v_streams = 0 OR v_events = 0
       OR cardinality(c_fingerprint) <> v_commands
       OR cardinality(s_cmd) <> v_streams OR cardinality(s_type) <> v_streams OR cardinality(s_natural_key) <> v_streams
       OR cardinality(s_expected) <> v_streams OR cardinality(s_county) <> v_streams
       OR cardinality(e_stream) <> v_events OR cardinality(e_type) <> v_events
       OR cardinality(e_data) <> v_events OR cardinality(e_metadata) <> v_events THEN
        RAISE EXCEPTION 'append_commands: arrays of unequal length, or nothing to append' USING ERRCODE = 'LE004';
    END IF;
    IF v_streams > 1 AND (SELECT count(DISTINCT x) FROM unnest(s_id) x) <> v_streams THEN
        RAISE EXCEPTION 'append_commands: a stream is listed twice in one call; append to it in separate calls' USING ERRCODE = 'LE004';
    END IF;

    -- The head lock: appends serialize here until their transaction ends.
    PERFORM pg_advisory_xact_lock(7250431);

    SELECT h.seq, h.hash, h.recorded_at INTO v_head_seq, v_head_hash, v_head_at FROM public.chain_head() h;
    -- recorded_at never goes backwards along seq, so "as of an instant" is a prefix of the log.
    v_now := greatest(clock_timestamp(), v_head_at);

    -- A batch: the same checks and writes, set-based.
    v_replayed := array_fill(false, ARRAY[v_commands]);
    FOR i IN 1 .. v_commands LOOP
        IF c_key[i] IS NOT NULL THEN
            v_keyed := true;
            EXIT;
        END IF;
    END LOOP;
    IF v_keyed THEN
        IF (SELECT count(k) <> count(DISTINCT k) FROM unnest(c_key) k) THEN
            RAISE EXCEPTION 'append_commands: an idempotency key appears twice in one call' USING ERRCODE = 'LE004';
        END IF;
        SELECT c.key INTO v_bad
          FROM unnest(c_key, c_fingerprint) AS c (key, fingerprint)
          JOIN LATERAL (SELECT k.fingerprint FROM public.idempotency_keys k WHERE k.key = c.key) k ON true
         WHERE k.fingerprint IS DISTINCT FROM c.fingerprint
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'idempotency key % was already used for a different command', v_bad.key
                USING ERRCODE = 'LE002', DETAIL = jsonb_build_object('key', v_bad.key)::text;
        END IF;
        SELECT array_agg(EXISTS (SELECT 1 FROM public.idempotency_keys k WHERE k.key = c.key) ORDER BY c.n) INTO v_replayed
          FROM unnest(c_key) WITH ORDINALITY AS c (key, n);
    END IF;

    -- Index lookups per stream (LATERAL), whatever the planner guesses about the arrays' length.
    SELECT array_agg(coalesce(st.version, 0) ORDER BY s.n), array_agg(NOT v_replayed[s.cmd] ORDER BY s.n)
      INTO v_current, v_active
      FROM unnest(s_id, s_cmd) WITH ORDINALITY AS s (id, cmd, n)
      LEFT JOIN LATERAL (SELECT x.version FROM public.streams x WHERE x.id = s.id) st ON true;

    SELECT s.id, s.expected, s.current INTO v_bad
      FROM unnest(s_id, s_expected, v_current, v_active) AS s (id, expected, current, active)
     WHERE s.active AND s.expected >= 0 AND s.expected <> s.current
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'stream % is at version %, expected %', v_bad.id, v_bad.current, v_bad.expected
            USING ERRCODE = 'LE001', DETAIL = jsonb_build_object(
                'streamId', v_bad.id, 'expected', v_bad.expected, 'actual', v_bad.current)::text;
    END IF;
    SELECT s.type, s.natural_key, st.id AS holder INTO v_bad
      FROM unnest(s_id, s_type, s_natural_key, v_current, v_active) AS s (id, type, natural_key, current, active)
      JOIN LATERAL (SELECT x.id FROM public.streams x WHERE x.type = s.type AND x.natural_key = s.natural_key AND x.id <> s.id) st ON true
     WHERE s.active AND s.current = 0 AND s.natural_key IS NOT NULL
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the % key % is already held by stream %', v_bad.type, v_bad.natural_key, v_bad.holder
            USING ERRCODE = 'LE003', DETAIL = jsonb_build_object(
                'streamType', v_bad.type, 'naturalKey', v_bad.natural_key, 'existingStreamId', v_bad.holder)::text;
    END IF;

    -- Seq, stream version and leaf digest of every event to write, in call order.
    SELECT array_agg(x.seq ORDER BY x.n), array_agg(x.version ORDER BY x.n), array_agg(x.stream ORDER BY x.n),
           array_agg(x.event_id ORDER BY x.n), array_agg(x.stream_id ORDER BY x.n), array_agg(x.event_type ORDER BY x.n),
           array_agg(x.data ORDER BY x.n), array_agg(x.metadata ORDER BY x.n), array_agg(x.county ORDER BY x.n),
           array_agg(sha256(public.event_canonical(x.seq, x.event_id, x.stream_id, x.version, x.event_type,
                                                   x.data::text, x.metadata::text, x.county, v_now)) ORDER BY x.n)
      INTO v_seq, v_version, v_stream, v_event_id, v_stream_id, v_type, v_data, v_metadata, v_county, v_leaf
      FROM (
        SELECT e.n, e.stream, e.event_id, s.id AS stream_id, e.event_type, e.data, e.metadata, s.county,
               v_head_seq + row_number() OVER (ORDER BY e.n) AS seq,
               s.current + row_number() OVER (PARTITION BY e.stream ORDER BY e.n) AS version
          FROM unnest(e_stream, e_id, e_type, e_data, e_metadata) WITH ORDINALITY
               AS e (stream, event_id, event_type, data, metadata, n)
          JOIN unnest(s_id, s_county, v_current, v_active) WITH ORDINALITY AS s (id, county, current, active, n)
            ON s.n = e.stream
         WHERE s.active
      ) x;
    v_count := coalesce(cardinality(v_seq), 0);

    v_added := array_fill(0::bigint, ARRAY[v_streams]);
    v_first := array_fill(NULL::bigint, ARRAY[v_commands]);
    v_last := array_fill(NULL::bigint, ARRAY[v_commands]);
    IF v_count > 0 THEN
        v_prev := array_fill(NULL::bytea, ARRAY[v_count]);
        v_hash := array_fill(NULL::bytea, ARRAY[v_count]);
        v_link := v_head_hash;
        FOR i IN 1 .. v_count LOOP
            v_prev[i] := v_link;
            v_link := sha256(v_link || v_leaf[i]);
            v_hash[i] := v_link;
            v_added[v_stream[i]] := v_added[v_stream[i]] + 1;
            v_cmd := s_cmd[v_stream[i]];
            v_first[v_cmd] := coalesce(v_first[v_cmd], v_seq[i]);
            v_last[v_cmd] := v_seq[i];
        END LOOP;

        INSERT INTO public.streams AS st (id, type, natural_key, version, county_code, created_at, updated_at)
        SELECT s.id, s.type, s.natural_key, s.current + s.added, s.county, v_now, v_now
          FROM unnest(s_id, s_type, s_natural_key, s_county, v_current, v_added, v_active)
               AS s (id, type, natural_key, county, current, added, active)
         WHERE s.active AND s.added > 0
        ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at;

        INSERT INTO public.events (seq, event_id, stream_id, stream_version, event_type, data, metadata, county_code, recorded_at, prev_hash, hash)
        SELECT u.seq, u.event_id, u.stream_id, u.version, u.event_type, u.data, u.metadata, u.county, v_now, u.prev, u.hash
          FROM unnest(v_seq, v_event_id, v_stream_id, v_version, v_type, v_data, v_metadata, v_county, v_prev, v_hash)
               AS u (seq, event_id, stream_id, version, event_type, data, metadata, county, prev, hash);

        IF v_keyed THEN
            INSERT INTO public.idempotency_keys (key, fingerprint, result, recorded_at)
            SELECT c_key[s.cmd], c_fingerprint[s.cmd], jsonb_build_object(
                       'firstSeq', v_first[s.cmd], 'lastSeq', v_last[s.cmd],
                       'recordedAtMicros', (extract(epoch FROM v_now) * 1000000)::bigint,
                       'streams', jsonb_agg(jsonb_build_object(
                           'streamId', s.id, 'fromVersion', s.current + 1, 'toVersion', s.current + s.added) ORDER BY s.n)),
                   v_now
              FROM unnest(s_cmd, s_id, v_current, v_added, v_active) WITH ORDINALITY AS s (cmd, id, current, added, active, n)
             WHERE s.active AND c_key[s.cmd] IS NOT NULL
             GROUP BY s.cmd;
        END IF;
    END IF;

    RETURN QUERY
        SELECT s.cmd, false, s.id, s.current + 1, s.current + s.added, v_first[s.cmd], v_last[s.cmd], v_now
          FROM unnest(s_cmd, s_id, v_current, v_added, v_active) WITH ORDINALITY AS s (cmd, id, current, added, active, n)
         WHERE s.active
         ORDER BY s.n;
    IF v_keyed THEN
        RETURN QUERY SELECT r.* FROM public.idempotent_results(c_key) r WHERE v_replayed[r.cmd];
    END IF;
END
$$;

REVOKE ALL ON events, streams, idempotency_keys FROM PUBLIC;
GRANT SELECT ON events, streams, idempotency_keys TO ledger_app;
REVOKE ALL ON FUNCTION append_command(text, text, uuid, text, text, bigint, text, uuid[], text[], jsonb[], jsonb[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION append_command(text, text, uuid, text, text, bigint, text, uuid[], text[], jsonb[], jsonb[]) TO ledger_app;
REVOKE ALL ON FUNCTION append_commands(text[], text[], int[], uuid[], text[], text[], bigint[], text[], int[], uuid[], text[], jsonb[], jsonb[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION append_commands(text[], text[], int[], uuid[], text[], text[], bigint[], text[], int[], uuid[], text[], jsonb[], jsonb[]) TO ledger_app;
GRANT EXECUTE ON FUNCTION event_canonical(bigint, uuid, uuid, bigint, text, text, text, text, timestamptz) TO ledger_app;
REVOKE ALL ON FUNCTION idempotent_results(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION chain_head() TO ledger_app;

-- Read models created by later migrations are the application's to maintain.
ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ledger_app;
ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT ON SEQUENCES TO ledger_app;
