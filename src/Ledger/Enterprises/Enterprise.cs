using NodaTime;

namespace Ledger.Enterprises;

/// <summary>
/// From <see cref="From"/> (null: since before the ledger knew the enterprise) the enterprise was in <see cref="CountyCode"/>,
/// until the next period starts.
/// </summary>
public sealed record CountyPeriod(LocalDate? From, string CountyCode);

/// <summary>An enterprise as its stream says it is now.</summary>
public sealed record Enterprise(
    Guid Id,
    string Uscc,
    string Name,
    string CountyCode,
    string Industry,
    BankAccount? BankAccount)
{
    /// <summary>Namespace of enterprise stream ids. Part of every stored id: never change it.</summary>
    public static readonly Guid StreamNamespace = new("08837ba8-16e2-4bcd-a60f-deaac04e50e5");

    /// <summary>
    /// The counties the enterprise was in, oldest first, once it has moved (<see cref="EnterpriseRelocated"/>); empty while
    /// it never moved, and then it was always in <see cref="CountyCode"/>.
    /// </summary>
    public IReadOnlyList<CountyPeriod> CountyHistory { get; init; } = [];

    /// <summary>The day the last recorded move took effect, if it ever moved.</summary>
    public LocalDate? LastMovedOn => CountyHistory.Count == 0 ? null : CountyHistory[^1].From;

    /// <summary>
    /// The county the enterprise was in on <paramref name="date"/>: every fact (declaration, recognition, renewal, award,
    /// payment) belongs to the county of its own date. A move counts from the day it took effect; a correction of the
    /// county fixes the record of where it is (the current period), it is not a move.
    /// </summary>
    public string CountyOn(LocalDate date) =>
        CountyHistory.LastOrDefault(p => p.From is null || p.From <= date)?.CountyCode ?? CountyCode;

    public static Guid StreamIdFor(Uscc uscc) => DeterministicGuid.Create(StreamNamespace, "enterprise:" + uscc.Value);

    /// <summary>Folds one event into the state. Events of other types leave it unchanged.</summary>
    public static Enterprise? Fold(Enterprise? state, object @event) => @event switch
    {
        EnterpriseRegistered e => new Enterprise(e.EnterpriseId, e.Uscc, e.Name, e.CountyCode, e.Industry, e.BankAccount),
        EnterpriseDetailsCorrected c => c.Corrections.Aggregate(
            state ?? throw new InvalidOperationException($"Enterprise {c.EnterpriseId}: a correction precedes the registration."),
            Apply),
        EnterpriseRelocated r => Relocate(
            state ?? throw new InvalidOperationException($"Enterprise {r.EnterpriseId}: a relocation precedes the registration."), r),
        _ => state,
    };

    private static Enterprise Relocate(Enterprise state, EnterpriseRelocated moved) => state with
    {
        CountyCode = moved.ToCountyCode,
        CountyHistory = state.CountyHistory.Count == 0
            ? [new CountyPeriod(null, moved.FromCountyCode), new CountyPeriod(moved.EffectiveOn, moved.ToCountyCode)]
            : [.. state.CountyHistory, new CountyPeriod(moved.EffectiveOn, moved.ToCountyCode)],
    };

    private static Enterprise Apply(Enterprise state, FieldCorrection correction) => correction.Field switch
    {
        EnterpriseField.Name => state with { Name = NewValue(state, correction) },
        // The record of where it is was wrong: the current period gets the right county, earlier periods (moves) stay.
        EnterpriseField.County => state with
        {
            CountyCode = NewValue(state, correction),
            CountyHistory = state.CountyHistory.Count == 0
                ? []
                : [.. state.CountyHistory.Take(state.CountyHistory.Count - 1), state.CountyHistory[^1] with { CountyCode = NewValue(state, correction) }],
        },
        EnterpriseField.Industry => state with { Industry = NewValue(state, correction) },
        EnterpriseField.BankAccount => state with
        {
            BankAccount = correction.NewValue is null ? null : BankAccount.FromCorrectionValue(correction.NewValue),
        },
        // An unknown field means the stream was written by newer code: stop rather than show stale details.
        _ => throw new InvalidOperationException($"Enterprise {state.Id}: unknown corrected field '{correction.Field}'."),
    };

    private static string NewValue(Enterprise state, FieldCorrection correction) =>
        correction.NewValue ?? throw new InvalidOperationException($"Enterprise {state.Id}: correction of '{correction.Field}' has no new value.");
}
