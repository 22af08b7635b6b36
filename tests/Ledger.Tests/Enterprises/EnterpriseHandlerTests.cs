using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Testing;
using Ledger.Tests.Reference;
using NodaTime;
using NodaTime.Testing;

namespace Ledger.Tests.Enterprises;

public sealed class EnterpriseHandlerTests : IAsyncLifetime
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 9, 0);
    private LedgerDatabase _db = null!;
    private EventStore.EventStore _store = null!;
    private EnterpriseHandler _handler = null!;
    private LedgerApp _app = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        _app = await LedgerApp.StartAsync(_db, ShippedReferenceData.Instance, new LedgerAppOptions { Clock = new FakeClock(Now) });
        _store = _app.Store;
        _handler = _app.Enterprises;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }

    private static RegisterEnterprise Register(string name = "无锡某精密机械有限公司") =>
        new(" 91350100m000100y43 ", name, "320205", "通用设备制造业", null, "clerk-xs", Now);

    private static Caller Clerk(string? key = null) => new("clerk-xs", "clerk", key);

    [Fact]
    public async Task Registering_appends_one_event_under_the_USCC_derived_stream()
    {
        var id = await _app.SendAsync(Register(), Clerk());

        var events = await _store.ReadStreamAsync(id);
        events.Count.ShouldBe(1);
        events[0].EventType.ShouldBe("enterprise-registered");
        events[0].CountyCode.ShouldBe("320205");
        (await _handler.FindAsync("91350100M000100Y43"))!.Name.ShouldBe("无锡某精密机械有限公司");
    }

    [Fact]
    public async Task A_second_registration_names_the_existing_enterprise_and_writes_nothing()
    {
        var id = await _app.SendAsync(Register(), Clerk());

        var error = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(Register("另一家公司"), Clerk()));

        error.Message.ShouldContain(id.ToString());
        error.Message.ShouldContain("无锡某精密机械有限公司");
        (await _store.HeadAsync()).Seq.ShouldBe(1);
    }

    [Fact]
    public async Task A_retried_registration_with_its_idempotency_key_returns_the_same_enterprise()
    {
        var first = await _app.SendAsync(Register(), Clerk("reg-1"));
        var retry = await _app.SendAsync(Register() with { RegisteredAt = Now.Plus(Duration.FromSeconds(5)) }, Clerk("reg-1"));

        retry.ShouldBe(first);
        (await _store.HeadAsync()).Seq.ShouldBe(1);
        await Should.ThrowAsync<IdempotencyConflictException>(() => _app.SendAsync(Register("别的名字"), Clerk("reg-1")));
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_USCC_register_it_once()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                await _app.SendAsync(Register(), Clerk());
                return "registered";
            }
            catch (DomainException)
            {
                return "refused";
            }
        })));

        outcomes.Count(o => o == "registered").ShouldBe(1);
        (await _store.HeadAsync()).Seq.ShouldBe(1);
    }

    [Fact]
    public async Task A_correction_keeps_old_and_new_values_and_the_reason()
    {
        var id = await _app.SendAsync(Register(), Clerk());

        await _app.SendAsync(new CorrectEnterpriseDetails(id, "无锡某精密机械股份有限公司", null, null, null, "股改更名", "clerk-xs", Now), Clerk());

        var events = await _store.ReadStreamAsync(id);
        var corrected = events[1].Data.ShouldBeOfType<EnterpriseDetailsCorrected>();
        corrected.Corrections.ShouldBe([new FieldCorrection("name", "无锡某精密机械有限公司", "无锡某精密机械股份有限公司")]);
        events[1].Metadata.Reason.ShouldBe("股改更名");
        (await _handler.LoadAsync(id, ReadLimit.AtVersion(1))).State!.Name.ShouldBe("无锡某精密机械有限公司");
    }

    [Fact]
    public async Task Correcting_an_unknown_enterprise_is_refused()
    {
        var error = await Should.ThrowAsync<DomainException>(() =>
            _app.SendAsync(new CorrectEnterpriseDetails(Guid.NewGuid(), "x", null, null, null, "r", "clerk-xs", Now), Clerk()));

        error.Code.ShouldBe("enterprise.not-found");
    }
}
