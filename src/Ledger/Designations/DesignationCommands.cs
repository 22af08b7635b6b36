using Ledger.Imports;
using NodaTime;

namespace Ledger.Designations;

/// <summary>Starts a new round for (enterprise, tier); the decider picks the round and the stream id.</summary>
public sealed record SubmitDeclaration(
    Guid EnterpriseId,
    string Uscc,
    string CountyCode,
    string Tier,
    LocalDate DeclaredOn,
    string Actor,
    Instant At) : ILedgerCommand<Guid>
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

public sealed record ReviewDeclaration(
    Guid DesignationId,
    ReviewLevel Level,
    ReviewOutcome Outcome,
    string Reviewer,
    string? Note,
    LocalDate ReviewedOn,
    string Actor,
    Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

/// <summary>
/// Records a recognition for the enterprise's current round of <see cref="Tier"/>, which must have been
/// recommended. With <see cref="Historical"/> set it is an import of a recognition made before the ledger
/// existed: no declaration, a new round, and a missing prerequisite is recorded on the event instead of refused.
/// Either way the tier must exist on the recognition date and <see cref="Authority"/> must be the government that
/// recognises the tier where the enterprise was on that date.
/// </summary>
public sealed record RecognizeDesignation(
    Guid EnterpriseId,
    string Tier,
    RecognisingAuthority Authority,
    string DocumentNumber,
    LocalDate RecognizedOn,
    LocalDate? ValidFrom,
    LocalDate? ValidTo,
    PrerequisiteOverride? PrerequisiteOverride,
    string Actor,
    Instant At,
    HistoricalImport? Historical = null) : ILedgerCommand<Guid>
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

/// <summary>
/// The authority a recognition names: the division code of the government it belongs to (100000 for MIIT, a province,
/// a city) and its name as printed on the document (江苏省工业和信息化厅).
/// </summary>
public sealed record RecognisingAuthority(string DivisionCode, string Name);

/// <summary>
/// An import of a passed renewal whose base designation the ledger does not hold (county spreadsheets often list only
/// the latest round). <see cref="NewValidTo"/> defaults to the decision date + the tier's validity years − 1 day.
/// </summary>
public sealed record ImportRenewalWithoutBase(
    Guid EnterpriseId,
    string Tier,
    LocalDate DecidedOn,
    LocalDate? NewValidTo,
    string Reviewer,
    string Actor,
    Instant At,
    HistoricalImport Historical) : ILedgerCommand<Guid>
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

/// <summary>A renewal (复审) decision. <see cref="NewValidTo"/> defaults to valid-to + the tier's validity years.</summary>
public sealed record ReviewRenewal(
    Guid DesignationId,
    RenewalOutcome Outcome,
    LocalDate DecidedOn,
    LocalDate? NewValidTo,
    string Reviewer,
    string? Note,
    string Actor,
    Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}

public sealed record RevokeDesignation(
    Guid DesignationId,
    string Reason,
    LocalDate RevokedOn,
    bool DemandClawback,
    string Actor,
    Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}
