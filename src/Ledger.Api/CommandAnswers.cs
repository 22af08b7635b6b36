using System.Collections.Concurrent;
using System.Text.Json;
using Ledger.Disbursements;
using Ledger.EventStore;
using Marten;
using Marten.Services;
using NodaTime;

namespace Ledger.Api;

/// <summary>
/// The answers of the disbursement routes, stored in <c>api_requests</c> by the command's own transaction: a Marten
/// listener queues the answer's UPDATE on the session that commits the command's events, so one command is one commit
/// and an answer is stored exactly when the events are (docs/decisions.md, HTTP). The answer — the disbursement's
/// status and the award stream's version — is known from the events the command appends, before they are written.
/// </summary>
public sealed class CommandAnswers(IClock clock) : DocumentSessionListenerBase
{
    private readonly ConcurrentDictionary<string, Expected> _expected = new(StringComparer.Ordinal);

    /// <summary>An answer a route waits for: set once the command's transaction committed with it.</summary>
    public sealed class Expected(string idempotencyKey, string ledgerKey, Guid awardId, Guid disbursementId, int status)
    {
        public string IdempotencyKey { get; } = idempotencyKey;

        public string LedgerKey { get; } = ledgerKey;

        public Guid AwardId { get; } = awardId;

        public Guid DisbursementId { get; } = disbursementId;

        public int Status { get; } = status;

        /// <summary>What was queued on the session being saved (null: nothing, the command appended no event of this disbursement).</summary>
        internal DisbursementAnswer? Queued { get; set; }

        /// <summary>The answer stored with the command's events; null when the command committed nothing (a replay), and the route stores it itself.</summary>
        public DisbursementAnswer? Committed { get; internal set; }
    }

    /// <summary>
    /// Registers the answer a command sent under <paramref name="ledgerKey"/> will give; dispose the handle once the
    /// command returned. A command that commits nothing of this disbursement leaves <see cref="Expected.Committed"/> null.
    /// </summary>
    public Registration Expect(string idempotencyKey, string ledgerKey, Guid awardId, Guid disbursementId, int status)
    {
        var expected = new Expected(idempotencyKey, ledgerKey, awardId, disbursementId, status);
        if (!_expected.TryAdd(ledgerKey, expected))
        {
            // The API's claim on the key lets one request at a time run it.
            throw new InvalidOperationException($"a command under key {ledgerKey} is already waiting for its answer");
        }
        return new Registration(this, expected);
    }

    /// <summary>Ends the wait for an answer (whatever became of the command).</summary>
    public readonly struct Registration(CommandAnswers answers, Expected expected) : IDisposable
    {
        public Expected Answer => expected;

        public void Dispose() => answers._expected.TryRemove(new KeyValuePair<string, Expected>(expected.LedgerKey, expected));
    }

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (_expected.IsEmpty)
        {
            return Task.CompletedTask;
        }
        foreach (var stream in session.PendingChanges.Streams())
        {
            if (stream.Events.Count == 0 || stream.Events[0].GetHeader(LedgerHeaders.IdempotencyKey) is not string key
                || !_expected.TryGetValue(key, out var expected) || stream.Id != expected.AwardId || stream.ExpectedVersionOnServer is not { } before)
            {
                continue;
            }
            var last = stream.Events.Select(e => e.Data).OfType<IDisbursementEvent>().LastOrDefault(e => e.DisbursementId == expected.DisbursementId);
            if (last is null)
            {
                continue;
            }
            // The status the disbursements row will have and the version the award stream reaches, both written by this commit.
            var answer = new DisbursementAnswer(expected.DisbursementId, expected.AwardId, DisbursementProjection.StatusAfter(last), before + stream.Events.Count);
            session.QueueSqlCommand(
                "UPDATE api_requests SET status = ?, content_type = ?, body = ?, completed_at = ? WHERE idempotency_key = ? AND status IS NULL",
                expected.Status, "application/json", JsonSerializer.Serialize(answer, ApiJson.Output), clock.GetCurrentInstant().ToDateTimeOffset(), expected.IdempotencyKey);
            expected.Queued = answer;
        }
        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (_expected.IsEmpty)
        {
            return Task.CompletedTask;
        }
        foreach (var stream in commit.GetStreams())
        {
            if (stream.Events.Count > 0 && stream.Events[0].GetHeader(LedgerHeaders.IdempotencyKey) is string key
                && _expected.TryGetValue(key, out var expected) && expected.Queued is { } answer)
            {
                expected.Committed = answer;
            }
        }
        return Task.CompletedTask;
    }
}
