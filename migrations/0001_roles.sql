-- The application role. Application sessions run as ledger_app: it may append events and keep the
-- read tables, but it has no DDL rights and can never change or remove an event (0003).

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
        CREATE ROLE ledger_app NOLOGIN;
    END IF;
END
$$;

-- The owner (LEDGER_DB's user) switches to ledger_app for application work.
GRANT ledger_app TO CURRENT_USER;

-- Nobody but the owner creates objects in the schema (PostgreSQL 15 already revokes this from PUBLIC).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO ledger_app;
