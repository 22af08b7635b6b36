using Ledger;
using Ledger.CrashHost;
using Ledger.Disbursements;
using Ledger.EventStore;
using Ledger.Reference;
using Ledger.Treasury;
using NodaTime;
using NodaTime.Testing;
using NodaTime.Text;

// approve --db CONNECTION --treasury FOLDER --award ID --disbursement ID --at INSTANT [--fault after-commit|after-write]
//   approves the disbursement as "approver-wang" at INSTANT, then waits until its treasury line is written; with
//   --fault it stops for good at that point of the writing instead, after printing "fault <point> <disbursement>".
// drain --db CONNECTION --treasury FOLDER
//   starts the ledger and waits until no treasury instruction is left to write; prints "drained".
// Both exit 0 when done, 2 when an instruction went to the dead letters, 3 on bad arguments.
var mode = args.FirstOrDefault();
var options = Options.Parse(args.Skip(1));
if (mode is not ("approve" or "drain") || options.Db is null || options.Treasury is null)
{
    await Console.Error.WriteLineAsync("usage: approve|drain --db CONNECTION --treasury FOLDER [--award ID --disbursement ID --at INSTANT] [--fault after-commit|after-write]");
    return 3;
}

await using var database = await LedgerDatabase.OpenAsync(options.Db);
await using var app = await LedgerApp.StartAsync(database, ReferenceDataLoader.LoadDefault(), new LedgerAppOptions
{
    Clock = new FakeClock(options.At ?? SystemClock.Instance.GetCurrentInstant()),
    TreasuryFolder = options.Treasury,
    TreasuryFaultPoints = options.Fault is { } point ? new StopForGood(point) : NoTreasuryFaults.Instance,
});
if (mode == "approve")
{
    await app.SendAsync(
        new ApproveDisbursement(options.Award, options.Disbursement, "approver-wang", default), new Caller("approver-wang", "approver"));
    Console.WriteLine($"approved {options.Disbursement}");
}
while (true)
{
    var outbox = await TreasuryOutbox.ReadAsync(database.App);
    if (outbox.DeadLetters.Count > 0)
    {
        await Console.Error.WriteLineAsync($"dead letters: {string.Join("; ", outbox.DeadLetters.Select(d => $"{d.DisbursementId} {d.ExceptionType}: {d.ExceptionMessage}"))}");
        return 2;
    }
    if (outbox.Waiting == 0)
    {
        Console.WriteLine("drained");
        return 0;
    }
    await Task.Delay(TimeSpan.FromMilliseconds(100));
}

internal sealed record Options(string? Db, string? Treasury, Guid Award, Guid Disbursement, Instant? At, string? Fault)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            values[name] = e.MoveNext() ? e.Current : throw new ArgumentException($"{name} needs a value");
        }
        return new Options(
            values.GetValueOrDefault("--db"),
            values.GetValueOrDefault("--treasury"),
            values.TryGetValue("--award", out var award) ? Guid.Parse(award) : Guid.Empty,
            values.TryGetValue("--disbursement", out var disbursement) ? Guid.Parse(disbursement) : Guid.Empty,
            values.TryGetValue("--at", out var at) ? InstantPattern.ExtendedIso.Parse(at).GetValueOrThrow() : null,
            values.GetValueOrDefault("--fault"));
    }
}
