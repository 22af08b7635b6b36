using JasperFx;
using JasperFx.Events;
using Ledger.EventStore.Serialization;
using Marten;
using Npgsql;
using Weasel.Core;

namespace Ledger.EventStore.Marten;

/// <summary>
/// How the ledger configures Marten: events under their stable names, System.Text.Json with NodaTime and
/// exact decimals, the metadata every event carries, Quick append, and no DDL at run time (the schema is
/// the numbered files in <c>migrations/</c>; docs/architecture.md explains why).
/// </summary>
public static class LedgerStoreOptions
{
    /// <summary>The schema Marten's tables, the chain and the read tables live in.</summary>
    public const string Schema = "public";

    /// <summary>Configures <paramref name="options"/> for the ledger.</summary>
    /// <param name="options">Marten's options.</param>
    /// <param name="dataSource">Where sessions connect (the application role).</param>
    /// <param name="events">The event types and their stable names (built once, shared with the store's readers).</param>
    public static void Configure(StoreOptions options, NpgsqlDataSource dataSource, EventTypeRegistry events)
    {
        options.Connection(dataSource);
        options.DatabaseSchemaName = Schema;
        options.Events.DatabaseSchemaName = Schema;
        options.AutoCreateSchemaObjects = AutoCreate.None;
        options.Events.StreamIdentity = StreamIdentity.AsGuid;
        // Quick: one round trip per stream through mt_quick_append_events; README's benchmark compares it with Rich.
        options.Events.AppendMode = EventAppendMode.Quick;
        // Read rows (histories, money movements) name the event that proves them; the chain position is joined in by event id.
        options.Events.EnableUniqueIndexOnEventId = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Events.MetadataConfig.UserNameEnabled = true;
        options.UseSystemTextJsonForSerialization(LedgerJson.CreateMutable(), EnumStorage.AsString, Casing.CamelCase);
        foreach (var name in events.Names)
        {
            var type = events.TypeOf(name);
            options.Events.AddEventType(type);
            options.Events.MapEventType(type, name);
        }
    }
}
