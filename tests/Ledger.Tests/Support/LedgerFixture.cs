using System.Globalization;
using Ledger.Designations;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.Imports;
using Ledger.Testing;
using Ledger.Tests.Reference;
using NodaTime;
using NodaTime.Testing;

namespace Ledger.Tests.Support;

/// <summary>A fresh database with the whole ledger on it and the shipped reference data: for tests that go end to end.</summary>
public abstract class LedgerFixture : IAsyncLifetime
{
    protected static readonly Instant Now = Instant.FromUtc(2024, 3, 1, 2, 0);
    private LedgerDatabase _db = null!;
    private int _enterprises;

    protected LedgerApp App { get; private set; } = null!;

    /// <summary>The clock the edge stamps commands with: <see cref="Now"/> until a test moves it.</summary>
    protected FakeClock Clock { get; } = new(Now);

    protected LedgerDatabase Database => _db;

    /// <summary>The test's own folder for treasury instruction files (created by the first line written), removed afterwards.</summary>
    protected string TreasuryFolder { get; } = Path.Combine(Path.GetTempPath(), $"ledger-treasury-{Guid.NewGuid():N}");

    /// <summary>How the test's ledger runs; a test class may change it (its treasury folder, its fault points).</summary>
    protected virtual LedgerAppOptions AppOptions => new() { Clock = Clock, TreasuryFolder = TreasuryFolder };

    public virtual async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        App = await LedgerApp.StartAsync(_db, ShippedReferenceData.Instance, AppOptions);
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _db.DisposeAsync();
        if (Directory.Exists(TreasuryFolder))
        {
            Directory.Delete(TreasuryFolder, recursive: true);
        }
        else if (File.Exists(TreasuryFolder))
        {
            File.Delete(TreasuryFolder);
        }
    }

    /// <summary>
    /// Holds the first event appended from now on inside its transaction for <paramref name="hold"/>, so that callers
    /// started together load the stream while it is still uncommitted and reach the append with a stale version: a
    /// race test then exercises the race however fast the machine runs one caller after another.
    /// </summary>
    protected async Task HoldFirstAppendAsync(TimeSpan hold)
    {
        await using var command = Database.Owner.CreateCommand(
            "CREATE SEQUENCE test_held_appends; " +
            "CREATE FUNCTION test_hold_first_append() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS " +
            $"$$ BEGIN IF nextval('test_held_appends') = 1 THEN PERFORM pg_sleep({hold.TotalSeconds.ToString(CultureInfo.InvariantCulture)}); END IF; RETURN NEW; END $$; " +
            "CREATE TRIGGER test_hold_first_append BEFORE INSERT ON mt_events FOR EACH ROW EXECUTE FUNCTION test_hold_first_append()");
        await command.ExecuteNonQueryAsync();
    }

    protected static Caller As(string actor, string role = "clerk", string? key = null) => new(actor, role, key);

    /// <summary>A valid USCC registered in <paramref name="division"/>: the first 17 characters made up, the check character computed.</summary>
    public static string UsccFor(string division, int serial)
    {
        var first17 = "91" + division + serial.ToString("D8", CultureInfo.InvariantCulture) + "X";
        return first17 + Uscc.CheckCharacter(first17);
    }

    protected async Task<Guid> RegisterAsync(string county, string name = "测试企业", bool withBankAccount = false)
    {
        var serial = Interlocked.Increment(ref _enterprises);
        var account = withBankAccount ? new BankAccount("中国工商银行无锡锡山支行", $"{name}{serial}", $"1103020109{serial:D8}") : null;
        return await App.SendAsync(
            new RegisterEnterprise(UsccFor(county, serial), $"{name}{serial}", county, "制造业", account, "clerk", Now), As("clerk"));
    }

    /// <summary>The import batch <see cref="ImportRecognitionAsync"/> records its recognitions under.</summary>
    protected const string ImportBatch = "import-fixture";

    /// <summary>Records a recognition as an import of a past decision (no declaration; a missing prerequisite is recorded, not refused).</summary>
    protected async Task<Guid> ImportRecognitionAsync(Guid enterprise, string tier, LocalDate on, string document = "苏工信〔2022〕1号", string batch = ImportBatch)
    {
        var county = (await App.Enterprises.LoadAsync(enterprise)).State!.CountyOn(on);
        return await App.SendAsync(
            new RecognizeDesignation(enterprise, tier, AuthorityFor(App.Reference, tier, county), document, on, null, null, null, "clerk", Now,
                new HistoricalImport(batch)), As("clerk"));
    }

    /// <summary>The government that recognises <paramref name="tier"/> in <paramref name="county"/>, under a name of its kind.</summary>
    public static RecognisingAuthority AuthorityFor(Ledger.Reference.ReferenceData reference, string tier, string county)
    {
        var division = reference.RecognisingDivision(reference.FindTier(tier)!, county)!;
        return new RecognisingAuthority(division.Code, division.Level switch
        {
            Ledger.Reference.DivisionLevel.Country => "工业和信息化部",
            Ledger.Reference.DivisionLevel.Province => division.Name + (division.Code.StartsWith("33", StringComparison.Ordinal) ? "经济和信息化厅" : "工业和信息化厅"),
            _ => division.Name + (division.Code.StartsWith("33", StringComparison.Ordinal) ? "经济和信息化局" : "工业和信息化局"),
        });
    }

    protected async Task<IReadOnlyList<Ledger.Awards.AwardDetermined>> AwardsOfAsync(Guid enterprise)
    {
        var awards = new List<Ledger.Awards.AwardDetermined>();
        await foreach (var e in App.Store.ReadAllAsync(eventTypes: ["award-determined"]))
        {
            if (e.Data is Ledger.Awards.AwardDetermined a && a.EnterpriseId == enterprise)
            {
                awards.Add(a);
            }
        }
        return awards;
    }
}
