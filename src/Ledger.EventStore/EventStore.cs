using Marten;
using Npgsql;

namespace Ledger.EventStore;

/// <summary>
/// The ledger's events on Marten: appends of one command to several streams at their expected versions,
/// with the metadata every event carries and the idempotency record, in one <c>SaveChangesAsync</c>;
/// stream reads as of a version, a seq or an instant (through the hash chain's commit order); the whole
/// log in chain order; and the chain's verification. Marten stores, serializes and projects; the chain
/// (migrations/0003) links every event at commit.
/// </summary>
public sealed partial class EventStore
{
    /// <summary>Creates the store over Marten and the application data source (role <c>ledger_app</c>).</summary>
    public EventStore(IDocumentStore marten, NpgsqlDataSource dataSource, EventTypeRegistry types)
    {
        Marten = marten;
        DataSource = dataSource;
        Types = types;
    }

    /// <summary>Marten's document store.</summary>
    public IDocumentStore Marten { get; }

    /// <summary>The data source application work runs on (read-model queries, chain reads).</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The event types this store reads and writes, by stable name.</summary>
    public EventTypeRegistry Types { get; }
}

/// <summary>The header names the ledger puts on every event (Marten's <c>headers</c> column).</summary>
public static class LedgerHeaders
{
    /// <summary>The actor the edge stamped on a command (an envelope header; on events it is Marten's user_name).</summary>
    public const string Actor = "actor";

    /// <summary>The instant the edge stamped on a command (an envelope header).</summary>
    public const string At = "at";

    /// <summary>The caller's correlation id (an envelope header; on events it is Marten's correlation_id).</summary>
    public const string Correlation = "ledger-correlation";

    /// <summary>The role the actor acted in.</summary>
    public const string Role = "role";

    /// <summary>The kind of stream the event is on (enterprise, designation, award, budget-line, …).</summary>
    public const string StreamType = "stream-type";

    /// <summary>The county (or division) the stream belongs to.</summary>
    public const string County = "county";

    /// <summary>The command's idempotency key.</summary>
    public const string IdempotencyKey = "idempotency-key";

    /// <summary>The reason the user gave.</summary>
    public const string Reason = "reason";

    /// <summary>The operating-system user who ran the command line, beside the actor it named.</summary>
    public const string OsUser = "os-user";
}
