using NodaTime;

namespace Ledger.Enterprises;

/// <summary>
/// Records that the enterprise moved to <see cref="ToCountyCode"/> with effect from <see cref="EffectiveOn"/>, as the
/// business registry's change record <see cref="RegistryReference"/> says. <see cref="Override"/> is needed only when the
/// ledger already holds facts of the enterprise dated on or after that day.
/// </summary>
public sealed record RelocateEnterprise(
    Guid EnterpriseId,
    string ToCountyCode,
    LocalDate EffectiveOn,
    string RegistryReference,
    RelocationOverride? Override,
    string Actor,
    Instant At) : ILedgerCommand
{
    public ILedgerCommand Stamp(string actor, Instant at) => this with { Actor = actor, At = at };
}
