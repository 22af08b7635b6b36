-- GET /health answers how many migrations are applied. It read schema_migrations through the owner's connections,
-- which are reset (DISCARD ALL) each time they go back to the pool, so every probe paid a reset and planned its
-- statements afresh. The application role may now read the list (names, versions, checksums: nothing secret) and
-- /health runs on the application's connections like every other request. Writing it stays the owner's.
GRANT SELECT ON public.schema_migrations TO ledger_app;
