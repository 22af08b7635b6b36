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
    stream_id       uuid        NOT NULL REFERENCES streams (id),
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
-- ':', the text, ';'. jsonb's own text output is canonical (key order and spacing are fixed);
-- the bytes a client sent are not. recorded_at enters as microseconds since the Unix epoch so
-- the server's TimeZone setting cannot change it.
CREATE FUNCTION event_canonical(
    p_seq bigint, p_event_id uuid, p_stream_id uuid, p_stream_version bigint, p_event_type text,
    p_data jsonb, p_metadata jsonb, p_county_code text, p_recorded_at timestamptz
) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT convert_to(
        octet_length(p_seq::text) || ':' || p_seq::text || ';' ||
        octet_length(p_event_id::text) || ':' || p_event_id::text || ';' ||
        octet_length(p_stream_id::text) || ':' || p_stream_id::text || ';' ||
        octet_length(p_stream_version::text) || ':' || p_stream_version::text || ';' ||
        octet_length(p_event_type) || ':' || p_event_type || ';' ||
        octet_length(p_data::text) || ':' || p_data::text || ';' ||
        octet_length(p_metadata::text) || ':' || p_metadata::text || ';' ||
        octet_length(p_county_code) || ':' || p_county_code || ';' ||
        octet_length((extract(epoch FROM p_recorded_at) * 1000000)::bigint::text) || ':' ||
            (extract(epoch FROM p_recorded_at) * 1000000)::bigint::text || ';',
        'UTF8')
$$;

-- Appends the events of one command in one statement: one round trip, one transaction-level lock.
-- Streams come as parallel arrays (s_*), events as parallel arrays (e_*) whose e_stream is a
-- 1-based index into the streams. Expected version: -1 any, 0 the stream must not exist, n the
-- stream must be at version n. Everything happens under the head lock, so the idempotency check,
-- the version checks, the gapless seq and the chain all see one consistent state.
-- Errors: LE001 version conflict, LE002 idempotency key reused for a different command,
-- LE003 natural key held by another stream, LE004 malformed call.
CREATE FUNCTION append_events(
    s_id uuid[], s_type text[], s_natural_key text[], s_expected bigint[], s_county text[],
    e_stream int[], e_id uuid[], e_type text[], e_data jsonb[], e_metadata jsonb[],
    p_idempotency_key text, p_fingerprint text
) RETURNS TABLE (replayed boolean, result jsonb) LANGUAGE plpgsql AS $$
DECLARE
    v_count int := coalesce(array_length(e_id, 1), 0);
    v_streams int := coalesce(array_length(s_id, 1), 0);
    v_head_seq bigint;
    v_head_hash bytea;
    v_head_at timestamptz;
    v_now timestamptz;
    v_current bigint;
    v_holder uuid;
    v_existing record;
    v_stream_version bigint[];
    v_from bigint[];
    v_seqs bigint[];
    v_versions bigint[];
    v_prev bytea[];
    v_hashes bytea[];
    v_hash bytea;
    v_result jsonb;
    i int;
    s int;
BEGIN
    IF v_count = 0 OR v_streams = 0
       OR array_length(e_stream, 1) <> v_count OR array_length(e_type, 1) <> v_count
       OR array_length(e_data, 1) <> v_count OR array_length(e_metadata, 1) <> v_count
       OR array_length(s_type, 1) <> v_streams OR array_length(s_expected, 1) <> v_streams
       OR array_length(s_county, 1) <> v_streams OR array_length(s_natural_key, 1) <> v_streams THEN
        RAISE EXCEPTION 'append_events: arrays of unequal length or nothing to append' USING ERRCODE = 'LE004';
    END IF;
    IF (SELECT count(DISTINCT x) FROM unnest(s_id) x) <> v_streams THEN
        RAISE EXCEPTION 'append_events: a stream is listed twice' USING ERRCODE = 'LE004';
    END IF;

    -- The head lock: appends serialize here until their transaction ends.
    PERFORM pg_advisory_xact_lock(7250431);

    IF p_idempotency_key IS NOT NULL THEN
        SELECT k.fingerprint, k.result INTO v_existing FROM idempotency_keys k WHERE k.key = p_idempotency_key;
        IF FOUND THEN
            IF v_existing.fingerprint IS DISTINCT FROM p_fingerprint THEN
                RAISE EXCEPTION 'idempotency key % was already used for a different command', p_idempotency_key
                    USING ERRCODE = 'LE002', DETAIL = jsonb_build_object('key', p_idempotency_key)::text;
            END IF;
            RETURN QUERY SELECT true, v_existing.result;
            RETURN;
        END IF;
    END IF;

    SELECT e.seq, e.hash, e.recorded_at INTO v_head_seq, v_head_hash, v_head_at
      FROM events e ORDER BY e.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        v_head_seq := 0;
        v_head_hash := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
        v_head_at := '-infinity';
    END IF;
    -- recorded_at never goes backwards along seq, so "as of an instant" is a prefix of the log.
    v_now := greatest(clock_timestamp(), v_head_at);

    v_stream_version := array_fill(0::bigint, ARRAY[v_streams]);
    v_from := array_fill(0::bigint, ARRAY[v_streams]);
    FOR s IN 1 .. v_streams LOOP
        SELECT st.version INTO v_current FROM streams st WHERE st.id = s_id[s];
        IF NOT FOUND THEN
            v_current := 0;
            IF s_natural_key[s] IS NOT NULL THEN
                SELECT st.id INTO v_holder FROM streams st WHERE st.type = s_type[s] AND st.natural_key = s_natural_key[s];
                IF FOUND THEN
                    RAISE EXCEPTION 'the % key % is already held by stream %', s_type[s], s_natural_key[s], v_holder
                        USING ERRCODE = 'LE003', DETAIL = jsonb_build_object(
                            'streamType', s_type[s], 'naturalKey', s_natural_key[s], 'existingStreamId', v_holder)::text;
                END IF;
            END IF;
        END IF;
        IF s_expected[s] >= 0 AND s_expected[s] <> v_current THEN
            RAISE EXCEPTION 'stream % is at version %, expected %', s_id[s], v_current, s_expected[s]
                USING ERRCODE = 'LE001', DETAIL = jsonb_build_object(
                    'streamId', s_id[s], 'expected', s_expected[s], 'actual', v_current)::text;
        END IF;
        v_stream_version[s] := v_current;
        v_from[s] := v_current + 1;
    END LOOP;

    v_seqs := array_fill(0::bigint, ARRAY[v_count]);
    v_versions := array_fill(0::bigint, ARRAY[v_count]);
    v_prev := array_fill(NULL::bytea, ARRAY[v_count]);
    v_hashes := array_fill(NULL::bytea, ARRAY[v_count]);
    v_hash := v_head_hash;
    FOR i IN 1 .. v_count LOOP
        s := e_stream[i];
        IF s IS NULL OR s < 1 OR s > v_streams THEN
            RAISE EXCEPTION 'append_events: event % names stream index %', i, s USING ERRCODE = 'LE004';
        END IF;
        v_stream_version[s] := v_stream_version[s] + 1;
        v_seqs[i] := v_head_seq + i;
        v_versions[i] := v_stream_version[s];
        v_prev[i] := v_hash;
        v_hash := sha256(v_hash || event_canonical(
            v_seqs[i], e_id[i], s_id[s], v_versions[i], e_type[i], e_data[i], e_metadata[i], s_county[s], v_now));
        v_hashes[i] := v_hash;
    END LOOP;

    INSERT INTO streams AS st (id, type, natural_key, version, county_code, created_at, updated_at)
    SELECT u.id, u.type, u.natural_key, u.version, u.county, v_now, v_now
      FROM unnest(s_id, s_type, s_natural_key, v_stream_version, s_county) AS u (id, type, natural_key, version, county)
    ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at;

    INSERT INTO events (seq, event_id, stream_id, stream_version, event_type, data, metadata, county_code, recorded_at, prev_hash, hash)
    SELECT u.seq, u.event_id, s_id[u.stream], u.version, u.event_type, u.data, u.metadata, s_county[u.stream], v_now, u.prev, u.hash
      FROM unnest(v_seqs, e_id, e_stream, v_versions, e_type, e_data, e_metadata, v_prev, v_hashes)
           AS u (seq, event_id, stream, version, event_type, data, metadata, prev, hash);

    SELECT jsonb_build_object(
        'firstSeq', v_head_seq + 1,
        'lastSeq', v_head_seq + v_count,
        'recordedAtMicros', (extract(epoch FROM v_now) * 1000000)::bigint,
        'streams', jsonb_agg(jsonb_build_object('streamId', u.id, 'fromVersion', u.f, 'toVersion', u.t) ORDER BY u.n))
      INTO v_result
      FROM unnest(s_id, v_from, v_stream_version) WITH ORDINALITY AS u (id, f, t, n);

    IF p_idempotency_key IS NOT NULL THEN
        INSERT INTO idempotency_keys (key, fingerprint, result, recorded_at)
        VALUES (p_idempotency_key, p_fingerprint, v_result, v_now);
    END IF;

    RETURN QUERY SELECT false, v_result;
END
$$;

GRANT SELECT, INSERT ON events TO ledger_app;
GRANT SELECT, INSERT, UPDATE ON streams TO ledger_app;
GRANT SELECT, INSERT ON idempotency_keys TO ledger_app;
REVOKE UPDATE, DELETE, TRUNCATE ON events FROM PUBLIC;
GRANT EXECUTE ON FUNCTION append_events(uuid[], text[], text[], bigint[], text[], int[], uuid[], text[], jsonb[], jsonb[], text, text) TO ledger_app;
GRANT EXECUTE ON FUNCTION event_canonical(bigint, uuid, uuid, bigint, text, jsonb, jsonb, text, timestamptz) TO ledger_app;

-- Read models created by later migrations are the application's to maintain.
ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ledger_app;
ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT ON SEQUENCES TO ledger_app;
