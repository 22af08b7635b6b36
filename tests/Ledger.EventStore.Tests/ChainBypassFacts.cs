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

    // Regression (an earlier version linked only the seq_ids a session-writable setting listed): nothing a session
    // sets after inserting lets its event commit without a link.
    [Theory]
    [InlineData("SET LOCAL ledger.public_chained_to = '9223372036854775807'")]
    [InlineData("RESET ALL")]
    [InlineData("SET CONSTRAINTS ALL DEFERRED")]
    public async Task The_application_role_cannot_commit_an_event_without_a_link_whatever_it_sets(string rewrite)
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
    public async Task Calling_the_linking_function_directly_is_refused()
    {
        await using var connection = await Db.App.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in InsertEventSql(Guid.NewGuid(), "mine"))
        {
            await using var insert = new NpgsqlCommand(sql, connection, transaction);
            await insert.ExecuteNonQueryAsync();
        }
        await using var call = new NpgsqlCommand("SELECT link_events(1)", connection, transaction);

        (await Should.ThrowAsync<PostgresException>(() => call.ExecuteNonQueryAsync())).SqlState.ShouldBe("LE011");
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
