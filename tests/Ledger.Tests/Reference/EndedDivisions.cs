using Ledger.Reference;
using NodaTime;

namespace Ledger.Tests.Reference;

/// <summary>A county that ended, for the rules about ended divisions; the shipped table lists none yet.</summary>
internal static class EndedDivisions
{
    /// <summary>
    /// 港闸区 (南通市), merged with the old 崇川区 into the new 崇川区 (320613) in 2020. The date is the day the Jiangsu
    /// government announced the State Council's approval.
    /// </summary>
    public static readonly Division Gangzha = new("320611", "港闸区", DivisionLevel.County, "320600", new LocalDate(2020, 7, 17));

    /// <summary>The shipped reference data with <see cref="Gangzha"/> added.</summary>
    public static ReferenceData Shipped { get; } = new(
        ShippedReferenceData.Instance.Tiers.Values,
        [.. ShippedReferenceData.Instance.Divisions.Values, Gangzha],
        ShippedReferenceData.Instance.Calendar,
        ShippedReferenceData.Instance.Authorities);
}
