-- Imports (ledger import): one row per set of files imported, kept by the inline projection from the import's own
-- events (import-started, import-finished). A batched import is 'started' until its last commit; reports warn meanwhile.
CREATE TABLE public.imports (
    import_id     uuid  PRIMARY KEY,
    import_batch  text  NOT NULL UNIQUE,
    actor         text  NOT NULL,
    row_count     int   NOT NULL,
    status        text  NOT NULL CHECK (status IN ('started', 'finished'))
);

REVOKE ALL ON public.imports FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON public.imports TO ledger_app;
