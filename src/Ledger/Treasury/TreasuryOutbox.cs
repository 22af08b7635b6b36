using System.Text.Json;
using Npgsql;
using NodaTime;
using Wolverine;
using Wolverine.Runtime.Serialization;

namespace Ledger.Treasury;

/// <summary>A treasury instruction Wolverine gave up on after its retries: it sits in <c>wolverine_dead_letters</c>.</summary>
/// <param name="Id">The message's envelope id.</param>
/// <param name="MessageType">Its stored name (<see cref="WriteTreasuryInstruction.MessageTypeName"/>).</param>
/// <param name="DisbursementId">The disbursement the line pays; null when the stored body cannot be read.</param>
/// <param name="ExceptionType">What the last attempt threw.</param>
/// <param name="ExceptionMessage">The exception's message.</param>
/// <param name="FailedAt">When it was moved to the dead letters.</param>
public sealed record TreasuryDeadLetter(Guid Id, string MessageType, Guid? DisbursementId, string? ExceptionType, string? ExceptionMessage, Instant? FailedAt);

/// <summary>The treasury instructions that could not be written, and how many are still waiting to be.</summary>
/// <param name="DeadLetters">Oldest first.</param>
/// <param name="WaitingIncoming">Stored for the local queue and not yet handled (new, being retried or scheduled).</param>
/// <param name="WaitingOutgoing">Stored in the outbox and not yet passed on.</param>
public sealed record TreasuryOutboxReport(IReadOnlyList<TreasuryDeadLetter> DeadLetters, long WaitingIncoming, long WaitingOutgoing)
{
    public long Waiting => WaitingIncoming + WaitingOutgoing;
}

/// <summary>Reads Wolverine's message store (migrations/0005) for treasury instructions.</summary>
public static class TreasuryOutbox
{
    public static async Task<TreasuryOutboxReport> ReadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var deadLetters = new List<TreasuryDeadLetter>();
        // Archived dead letters were dealt with by an operator (Wolverine's own listings leave them out too).
        await using (var command = dataSource.CreateCommand(
            "SELECT id, message_type, body, exception_type, exception_message, coalesce(failed_at, sent_at) FROM wolverine_dead_letters " +
            "WHERE message_type = $1 AND archived_at IS NULL ORDER BY coalesce(failed_at, sent_at), id"))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WriteTreasuryInstruction.MessageTypeName });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                deadLetters.Add(new TreasuryDeadLetter(
                    reader.GetGuid(0),
                    reader.GetString(1),
                    DisbursementOf(reader.GetFieldValue<byte[]>(2)),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(5))));
            }
        }
        await using var counts = dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM wolverine_incoming_envelopes WHERE message_type = $1 AND status <> 'Handled'), " +
            "(SELECT count(*) FROM wolverine_outgoing_envelopes WHERE message_type = $1)");
        counts.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WriteTreasuryInstruction.MessageTypeName });
        await using var row = await counts.ExecuteReaderAsync(cancellationToken);
        await row.ReadAsync(cancellationToken);
        return new TreasuryOutboxReport(deadLetters, row.GetInt64(0), row.GetInt64(1));
    }

    /// <summary>The disbursement id in a stored envelope (Wolverine's binary envelope around the message's JSON).</summary>
    private static Guid? DisbursementOf(byte[] body)
    {
        try
        {
            var data = EnvelopeSerializer.Deserialize(body).Data;
            if (data is null)
            {
                return null;
            }
            using var json = JsonDocument.Parse(data);
            return json.RootElement.TryGetProperty("disbursementId", out var id) && id.TryGetGuid(out var guid) ? guid : null;
        }
        catch (Exception e) when (e is JsonException or WolverineSerializationException or ArgumentException or IndexOutOfRangeException or EndOfStreamException)
        {
            // A body that no longer reads still lists, with its id, type and exception.
            return null;
        }
    }
}
