namespace Ledger.Imports;

/// <summary>
/// Marks a command as the import of a fact that happened before the ledger held it (a recognition made on paper, a
/// payment the treasury already made), and names the import batch it came in. The user who accepted the batch is the
/// command's actor, which the edge stamps; it is never taken from the payload.
/// </summary>
public sealed record HistoricalImport(string ImportBatch);
