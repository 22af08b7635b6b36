using System.Text.Json.Serialization;
using Ledger.EventStore;
using NodaTime;

namespace Ledger.PublishedFigures;

/// <summary>What a published figure measures (docs/reports.md, docs/decisions.md).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FigureBasis>))]
public enum FigureBasis
{
    /// <summary>Money paid in the year (net cash out).</summary>
    [JsonStringEnumMemberName("paid")] Paid,
    /// <summary>Awards determined in the year.</summary>
    [JsonStringEnumMemberName("determined")] Determined,
    /// <summary>Paid from the first year the ledger holds up to the year's end.</summary>
    [JsonStringEnumMemberName("paid_cumulative")] PaidCumulative,
    /// <summary>Distinct enterprises holding a valid designation of the measured tiers on 31 December.</summary>
    [JsonStringEnumMemberName("stock")] Stock,
}

/// <summary>What one publication says: the value, whether it is a lower bound ("1.2万余家"), and where it was published.</summary>
public sealed record FigureStatement(decimal Value, string Unit, bool LowerBound, string Source, string Quote);

/// <summary>A figure a government published (jurisdiction × year × measure × basis), with its source and quote.</summary>
[EventType("published-figure-recorded")]
public sealed record PublishedFigureRecorded(
    Guid FigureId,
    string JurisdictionCode,
    string JurisdictionName,
    int Year,
    string Measure,
    FigureBasis Basis,
    FigureStatement Statement,
    string Actor,
    Instant RecordedAt);

/// <summary>A newer publication of the same figure: it supersedes the earlier statement, which stays in the history.</summary>
[EventType("published-figure-revised")]
public sealed record PublishedFigureRevised(
    Guid FigureId,
    FigureStatement Previous,
    FigureStatement Statement,
    string Reason,
    string Actor,
    Instant RevisedAt);
