using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events.Projections;
using Ledger.Awards;
using Ledger.Budgets;
using Ledger.Clawbacks;
using Ledger.Designations;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.EventStore;
using Ledger.EventStore.Marten;
using Ledger.EventStore.Serialization;
using Ledger.Imports;
using Ledger.Policies;
using Ledger.PublishedFigures;
using Ledger.ReadModels;
using Ledger.Reference;
using Ledger.Treasury;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;
using Wolverine.Runtime.Serialization;
using ConcurrencyException = Ledger.EventStore.ConcurrencyException;

namespace Ledger;

/// <summary>How the ledger runs: its clock, its approval chain, how Wolverine loads its handler code.</summary>
public sealed record LedgerAppOptions
{
    /// <summary>Where command instants come from (tests use a fake clock).</summary>
    public IClock Clock { get; init; } = SystemClock.Instance;

    /// <summary>Dual approval threshold and chain lengths.</summary>
    public ApprovalSettings Approvals { get; init; } = LedgerApp.DefaultApprovals;

    /// <summary>
    /// Static: the handler code committed under src/Ledger/Internal/Generated (no compiler at start). Dynamic: compiled at
    /// start, only for the staleness test and for <c>codegen write</c>, which need the runtime compiler.
    /// </summary>
    public TypeLoadMode TypeLoadMode { get; init; } = TypeLoadMode.Static;

    /// <summary>The measures published figures may name; null: measures.csv beside the other reference files.</summary>
    public PublishedMeasures? Measures { get; init; }

    /// <summary>Extra Wolverine configuration (the codegen test adds the runtime compiler).</summary>
    public Action<WolverineOptions>? ConfigureWolverine { get; init; }

    /// <summary>Where treasury instruction files go, created when missing. Null: the default of <see cref="Treasury.TreasuryFolder.Of"/>.</summary>
    public string? TreasuryFolder { get; init; }

    /// <summary>Hooks in writing a treasury line; only the crash tests' host sets its own.</summary>
    public ITreasuryFaultPoints TreasuryFaultPoints { get; init; } = NoTreasuryFaults.Instance;
}

/// <summary>
/// The ledger running: Marten (events, inline projections) and Wolverine (commands, durable local queues) in one
/// host over the ledger's database. Commands go in through <see cref="SendAsync{TResult}"/>, the edge that stamps
/// the caller's identity and the clock's instant on them; reads go through the feature services and the store.
/// </summary>
public sealed class LedgerApp : IAsyncDisposable
{
    /// <summary>The default approval chain: one approver below 500,000 元, two at or above (a policy may set its own threshold).</summary>
    public static ApprovalSettings DefaultApprovals { get; } = new(Money.Of(500_000m));

    private readonly IClock _clock;

    private LedgerApp(IHost host)
    {
        Host = host;
        var services = host.Services;
        _clock = services.GetRequiredService<IClock>();
        Bus = services.GetRequiredService<IMessageBus>();
        Store = services.GetRequiredService<EventStore.EventStore>();
        Reference = services.GetRequiredService<ReferenceData>();
        Enterprises = services.GetRequiredService<EnterpriseHandler>();
        Awards = services.GetRequiredService<AwardHandler>();
        Policies = services.GetRequiredService<PolicyHandler>();
        Designations = services.GetRequiredService<DesignationHandler>();
        Budgets = services.GetRequiredService<BudgetHandler>();
        Disbursements = services.GetRequiredService<DisbursementHandler>();
        Clawbacks = services.GetRequiredService<ClawbackHandler>();
        Figures = services.GetRequiredService<PublishedFigureHandler>();
        Reports = services.GetRequiredService<Reports.ReportReader>();
        Imports = services.GetRequiredService<ImportAudit>();
        Importer = new Importer(Store, Reference, Figures.Measures, services.GetRequiredService<ApprovalSettings>(), _clock, Bus);
    }

    /// <summary>The host: Marten, Wolverine and the ledger's services.</summary>
    public IHost Host { get; }

    /// <summary>Wolverine's bus. Send commands through <see cref="SendAsync{TResult}"/>, which stamps them first.</summary>
    public IMessageBus Bus { get; }

    public EventStore.EventStore Store { get; }

    public ReferenceData Reference { get; }

    public EnterpriseHandler Enterprises { get; }

    public AwardHandler Awards { get; }

    public PolicyHandler Policies { get; }

    public DesignationHandler Designations { get; }

    public BudgetHandler Budgets { get; }

    public DisbursementHandler Disbursements { get; }

    public ClawbackHandler Clawbacks { get; }

    public PublishedFigureHandler Figures { get; }

    /// <summary>Totals, histories, budget execution and reconciliations, now or as of an instant.</summary>
    public Reports.ReportReader Reports { get; }

    /// <summary>What historical imports did not check, by batch.</summary>
    public ImportAudit Imports { get; }

    /// <summary><c>ledger import</c>: a county's files, validated whole, then appended in one transaction (or resumable batches).</summary>
    public Importer Importer { get; }

    /// <summary>Builds and starts the host over an opened (migrated) database.</summary>
    public static async Task<LedgerApp> StartAsync(LedgerDatabase database, ReferenceData reference, LedgerAppOptions? options = null, CancellationToken cancellationToken = default)
    {
        var host = Build(database, reference, options ?? new LedgerAppOptions());
        await host.StartAsync(cancellationToken);
        return new LedgerApp(host);
    }

    /// <summary>The host, not started (the command line hands it to the JasperFx verbs).</summary>
    public static IHost Build(LedgerDatabase database, ReferenceData reference, LedgerAppOptions options)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        Register(builder, database, reference, options);
        return builder.Build();
    }

    /// <summary>The ledger on a host of the caller's (the HTTP API's web application): built and started, it is <see cref="Of"/>.</summary>
    public static LedgerApp Of(IHost host) => new(host);

    /// <summary>Registers the ledger's services, Marten and Wolverine on a host being built.</summary>
    public static void Register(IHostApplicationBuilder builder, LedgerDatabase database, ReferenceData reference, LedgerAppOptions options)
    {
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(reference);
        builder.Services.AddSingleton(options.Clock);
        builder.Services.AddSingleton(options.Approvals);
        builder.Services.AddSingleton(services => new EventStore.EventStore(services.GetRequiredService<IDocumentStore>(), database.App, EventTypes));
        builder.Services.AddSingleton<CommandRunner>();
        builder.Services.AddSingleton<EnterpriseHandler>();
        builder.Services.AddSingleton<AwardHandler>();
        builder.Services.AddSingleton<PolicyHandler>();
        builder.Services.AddSingleton<DesignationHandler>();
        builder.Services.AddSingleton<BudgetHandler>();
        builder.Services.AddSingleton<DisbursementHandler>();
        builder.Services.AddSingleton<ClawbackHandler>();
        builder.Services.AddSingleton(options.Measures ?? PublishedMeasures.LoadDefault(reference));
        builder.Services.AddSingleton<PublishedFigureHandler>();
        builder.Services.AddSingleton<Reports.ReportReader>();
        builder.Services.AddSingleton<ImportAudit>();
        builder.Services.AddSingleton(TreasuryFolder.Of(options.TreasuryFolder, database));
        builder.Services.AddSingleton(options.TreasuryFaultPoints);
        builder.Services.AddSingleton<TreasuryInstructionWriter>();
        builder.Services.AddMarten(marten => Configure(marten, database.App))
            .UseLightweightSessions()
            .IntegrateWithWolverine(wolverine => wolverine.MessageStorageSchemaName = LedgerStoreOptions.Schema);
        builder.UseWolverine(wolverine => Configure(wolverine, options));
    }

    /// <summary>The ledger's event types by stable name, found once per process.</summary>
    public static EventTypeRegistry EventTypes { get; } = EventTypeRegistry.FromAssemblies(typeof(LedgerApp).Assembly);

    /// <summary>Marten configured for the ledger: its events, and the inline projections handlers decide on.</summary>
    public static void Configure(StoreOptions options, NpgsqlDataSource dataSource)
    {
        LedgerStoreOptions.Configure(options, dataSource, EventTypes);
        options.Projections.Add(new InlineReadModels(ReadProjections.All), ProjectionLifecycle.Inline);
    }

    /// <summary>Wolverine configured for the ledger.</summary>
    public static void Configure(WolverineOptions options, LedgerAppOptions ledger)
    {
        options.ApplicationAssembly = typeof(LedgerApp).Assembly;
        options.ServiceName = "ledger";
        // One process owns the database (the embedded default, or one `ledger up`): it recovers its own messages in seconds.
        options.Durability.Mode = DurabilityMode.Solo;
        options.AutoBuildMessageStorageOnStartup = AutoCreate.None;
        options.CodeGeneration.TypeLoadMode = ledger.TypeLoadMode;
        options.CodeGeneration.GeneratedCodeOutputPath = GeneratedCodeFolder;
        options.Policies.AutoApplyTransactions();
        // Follow-ups (catch-ups, treasury instructions) are stored with the events that caused them and survive a crash.
        options.Policies.UseDurableLocalQueues();
        // Stored messages in the ledger's one JSON form (NodaTime instants, amounts at scale 2).
        options.DefaultSerializer = new SystemTextJsonSerializer(LedgerJson.CreateMutable());
        TreasuryInstructionHandler.Route(options);
        // A conflict on a stream the command read but did not aim at (a busy budget line, a stack stream, an award a
        // concurrent catch-up created) is decided again on fresh state; one on its own stream goes back to the caller.
        // Each round of a retry lets at least one of the racers commit, so eight rounds settle eight racers on one line.
        options.OnException<ConcurrencyException>(e => e.Retryable).RetryWithCooldown(
            TimeSpan.Zero, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20),
            TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(160), TimeSpan.FromMilliseconds(320));
        ledger.ConfigureWolverine?.Invoke(options);
    }

    /// <summary>Where <c>codegen write</c> puts Wolverine's handler code, relative to the project (src/Ledger).</summary>
    public const string GeneratedCodeFolder = "Internal/Generated";

    /// <summary>
    /// The edge: stamps the command with the caller as its actor and the clock's instant (whatever the caller put
    /// there), and sends it through Wolverine with the caller's role, idempotency key and correlation id as headers.
    /// </summary>
    public async Task<TResult> SendAsync<TResult>(ILedgerCommand<TResult> command, Caller caller, CancellationToken cancellationToken = default)
    {
        var at = _clock.GetCurrentInstant();
        return await Bus.InvokeAsync<TResult>(command.Stamp(caller.Actor, at), Delivery(caller, at), cancellationToken);
    }

    /// <inheritdoc cref="SendAsync{TResult}"/>
    public async Task SendAsync(ILedgerCommand command, Caller caller, CancellationToken cancellationToken = default)
    {
        var at = _clock.GetCurrentInstant();
        await Bus.InvokeAsync(command.Stamp(caller.Actor, at), Delivery(caller, at), cancellationToken);
    }

    private static DeliveryOptions Delivery(Caller caller, Instant at)
    {
        var delivery = new DeliveryOptions();
        delivery.Headers[LedgerHeaders.Actor] = caller.Actor;
        delivery.Headers[LedgerHeaders.At] = InstantPattern.ExtendedIso.Format(at);
        delivery.Headers[LedgerHeaders.Role] = caller.Role;
        if (caller.IdempotencyKey is { } key)
        {
            delivery.Headers[LedgerHeaders.IdempotencyKey] = key;
        }
        if (caller.OsUser is { } osUser)
        {
            delivery.Headers[LedgerHeaders.OsUser] = osUser;
        }
        if (caller.CorrelationId is { } correlation)
        {
            delivery.Headers[LedgerHeaders.Correlation] = correlation.ToString();
        }
        return delivery;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
