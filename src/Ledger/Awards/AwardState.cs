using System.Text.Json.Serialization;
using Ledger.Policies;
using NodaTime;

namespace Ledger.Awards;

[JsonConverter(typeof(JsonStringEnumConverter<AwardStatus>))]
public enum AwardStatus
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("determined")] Determined,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

/// <summary>An award stream folded. <see cref="Amount"/> is the current determined amount (after re-determinations).</summary>
public sealed record AwardState(
    Guid Id,
    Guid DesignationId,
    Guid EnterpriseId,
    string CountyCode,
    Guid PolicyId,
    int PolicyVersion,
    AwardRule? Rule,
    LocalDate TriggerDate,
    LocalDate DeterminationDate,
    Money Amount,
    IReadOnlyList<FundingAmount> Funding,
    AwardStatus Status,
    int StreamVersion)
{
    public static readonly AwardState Initial = new(
        Guid.Empty, Guid.Empty, Guid.Empty, "", Guid.Empty, 0, null, default, default, Money.Zero, [], AwardStatus.None, 0);
}
