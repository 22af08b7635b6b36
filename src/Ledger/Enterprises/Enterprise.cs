namespace Ledger.Enterprises;

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

    public static Guid StreamIdFor(Uscc uscc) => DeterministicGuid.Create(StreamNamespace, "enterprise:" + uscc.Value);

    /// <summary>Folds one event into the state. Events of other types leave it unchanged.</summary>
    public static Enterprise? Fold(Enterprise? state, object @event) => @event switch
    {
        EnterpriseRegistered e => new Enterprise(e.EnterpriseId, e.Uscc, e.Name, e.CountyCode, e.Industry, e.BankAccount),
        EnterpriseDetailsCorrected c => c.Corrections.Aggregate(
            state ?? throw new InvalidOperationException($"Enterprise {c.EnterpriseId}: a correction precedes the registration."),
            Apply),
        _ => state,
    };

    private static Enterprise Apply(Enterprise state, FieldCorrection correction) => correction.Field switch
    {
        EnterpriseField.Name => state with { Name = NewValue(state, correction) },
        EnterpriseField.County => state with { CountyCode = NewValue(state, correction) },
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
