using Ledger.Testing;
using NodaTime;
using Npgsql;

namespace Ledger.Api.Tests;

/// <summary>
/// The claim of an Idempotency-Key commits without waiting for the WAL flush, and only the claim: the setting is local to
/// its transaction, so the command and answer commits that follow on the same connection still wait for it.
/// </summary>
public sealed class IdempotencyClaimFacts
{
    [Fact]
    public async Task A_claim_commits_with_synchronous_commit_off_and_the_connection_keeps_it_on_afterwards()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        // The test server commits asynchronously everywhere; this database gets the production default for new connections.
        await using (var durable = database.Owner.CreateCommand("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = on', current_database()); END $$"))
        {
            await durable.ExecuteNonQueryAsync();
        }
        // What each claim's transaction ran with, recorded by a trigger of this test's database only.
        await using (var setup = database.Owner.CreateCommand(
            "CREATE TABLE claim_settings (idempotency_key text, synchronous_commit text); " +
            "CREATE FUNCTION record_claim_setting() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN " +
            "INSERT INTO claim_settings VALUES (NEW.idempotency_key, current_setting('synchronous_commit')); RETURN NEW; END $$; " +
            "CREATE TRIGGER record_claim_setting AFTER INSERT ON api_requests FOR EACH ROW EXECUTE FUNCTION record_claim_setting()"))
        {
            await setup.ExecuteNonQueryAsync();
        }
        // One connection, so the statement after the claim runs where the claim ran.
        var name = new NpgsqlConnectionStringBuilder(database.Owner.ConnectionString).Database!;
        await using var single = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(await TestPostgres.ConnectionStringAsync(name)) { MaxPoolSize = 1 }.ConnectionString).Build();

        var first = await ApiPipeline.ClaimAsync(single, "claim-1", "f1", Instant.FromUtc(2026, 12, 1, 0, 0), CancellationToken.None);
        var again = await ApiPipeline.ClaimAsync(single, "claim-1", "f1", Instant.FromUtc(2026, 12, 1, 0, 0), CancellationToken.None);
        await using var show = single.CreateCommand("SHOW synchronous_commit");
        var after = (string)(await show.ExecuteScalarAsync())!;

        first.ShouldBeTrue();
        again.ShouldBeFalse();
        after.ShouldBe("on");
        await using var recorded = database.Owner.CreateCommand("SELECT string_agg(idempotency_key || ' ' || synchronous_commit, ', ') FROM claim_settings");
        (await recorded.ExecuteScalarAsync()).ShouldBe("claim-1 off");
    }

    [Fact]
    public async Task An_unanswered_claim_older_than_the_lease_is_taken_over_by_the_same_request_and_by_nothing_else()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var store = database.Owner;
        var at = Instant.FromUtc(2026, 12, 1, 0, 0);
        var expired = at + ApiPipeline.ClaimLease + Duration.FromSeconds(1);

        (await ApiPipeline.ClaimAsync(store, "k", "f1", at, CancellationToken.None)).ShouldBeTrue();
        (await ApiPipeline.ClaimAsync(store, "k", "f1", at + ApiPipeline.ClaimLease - Duration.FromSeconds(1), CancellationToken.None)).ShouldBeFalse("the first request may still be running");
        (await ApiPipeline.ClaimAsync(store, "k", "f2", expired, CancellationToken.None)).ShouldBeFalse("another request under the key never takes it");
        (await ApiPipeline.ClaimAsync(store, "k", "f1", expired, CancellationToken.None)).ShouldBeTrue("the same request, its first attempt abandoned");
        (await ApiPipeline.ClaimAsync(store, "k", "f1", expired + Duration.FromSeconds(1), CancellationToken.None)).ShouldBeFalse("the new claim holds in its turn");
        await using (var claimedAt = store.CreateCommand("SELECT created_at FROM api_requests WHERE idempotency_key = 'k'"))
        {
            ((DateTime)(await claimedAt.ExecuteScalarAsync())!).ShouldBe(expired.ToDateTimeUtc());
        }

        (await ApiPipeline.ClaimAsync(store, "answered", "f1", at, CancellationToken.None)).ShouldBeTrue();
        await using (var answer = store.CreateCommand("UPDATE api_requests SET status = 201, content_type = 'application/json', body = '{}' WHERE idempotency_key = 'answered'"))
        {
            await answer.ExecuteNonQueryAsync();
        }
        (await ApiPipeline.ClaimAsync(store, "answered", "f1", expired + ApiPipeline.ClaimLease, CancellationToken.None)).ShouldBeFalse("an answered key is replayed, never run again");
    }
}
