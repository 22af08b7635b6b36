using Npgsql;

namespace Ledger.EventStore.Tests;

/// <summary>
/// The application role can insert into mt_events (Marten does), so the chain triggers alone stand between it and an
/// event without a link: whatever a ledger_app session sets or writes, its commit either links every event or fails.
/// </summary>
public sealed class ChainBypassFacts : TestLedger
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AppendNewStreamAsync();
        await AppendNewStreamAsync();
    }

    // Regression: the chain used to link only what the noted list held, and any session may rewrite that list.
    [Theory]
    [InlineData("SELECT set_config('ledger.public_pending', '', true)")]
    [InlineData("SET LOCAL ledger.public_pending = ''")]
    [InlineData("RESET ALL")]
    public async Task The_application_role_cannot_commit_an_event_without_a_link_by_rewriting_the_pending_list(string rewrite)
    {
        await CommitAsApplicationAsync([.. InsertEventSql(Guid.NewGuid(), "unlinked"), rewrite]);

        await EveryCommittedEventIsLinkedAsync();
    }

    [Fact]
    public async Task An_event_with_a_seq_id_beyond_the_sequence_is_linked_like_any_other()
    {
        var stream = Guid.NewGuid();

        await CommitAsApplicationAsync(
        [
            $"INSERT INTO mt_streams (id, type, version) VALUES ('{stream}', 'sample', 1)",
            "INSERT INTO mt_events (seq_id, id, stream_id, version, data, type) " +
            $"VALUES (1000000, gen_random_uuid(), '{stream}', 1, jsonb_build_object('sampleId', '{stream}', 'note', 'far ahead'), 'sample-noted')",
        ]);

        (await CountsAsync()).ShouldBe((3L, 3L));
        (await Store.ReadStreamAsync(stream)).Single().Position.ShouldBe(3);
        await EveryCommittedEventIsLinkedAsync();
    }

    [Fact]
    public async Task A_seq_id_listed_twice_is_linked_once()
    {
        var stream = Guid.NewGuid();

        await CommitAsApplicationAsync(
        [
            .. InsertEventSql(stream, "listed twice"),
            "SELECT set_config('ledger.public_pending', current_setting('ledger.public_pending') || ',' || current_setting('ledger.public_pending'), true)",
        ]);

        var (events, links) = await CountsAsync();
        (events, links).ShouldBe((3L, 3L));
        await EveryCommittedEventIsLinkedAsync();
    }

    [Fact]
    public async Task Another_transactions_event_listed_as_pending_is_not_linked_twice()
    {
        await CommitAsApplicationAsync([.. InsertEventSql(Guid.NewGuid(), "mine"), "SELECT set_config('ledger.public_pending', current_setting('ledger.public_pending') || ',1', true)"]);

        (await OwnerScalarAsync<long>("SELECT count(*) FROM event_chain WHERE seq_id = 1")).ShouldBe(1);
        await EveryCommittedEventIsLinkedAsync();
    }

    private async Task CommitAsApplicationAsync(string[] statements)
    {
        await using var connection = await Db.App.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            await transaction.CommitAsync();
        }
        catch (PostgresException)
        {
            // Refusing the commit keeps the chain whole as well as linking the event does.
        }
    }

    private async Task EveryCommittedEventIsLinkedAsync()
    {
        var (events, links) = await CountsAsync();
        links.ShouldBe(events);
        var verified = await Store.VerifyAsync();
        verified.Ok.ShouldBeTrue(verified.Reason);
    }
}
