namespace Ledger.Reference;

/// <summary>Tiers, divisions and the working-day calendar the domain decides with. Loaded once at startup from data files.</summary>
public sealed class ReferenceData
{
    private readonly Dictionary<string, Tier> _tiers;
    private readonly Dictionary<string, Division> _divisions;

    /// <summary>Without a calendar: every working-day question is refused (see <see cref="WorkingDayCalendar.Empty"/>).</summary>
    public ReferenceData(IEnumerable<Tier> tiers, IEnumerable<Division> divisions)
        : this(tiers, divisions, WorkingDayCalendar.Empty)
    {
    }

    public ReferenceData(IEnumerable<Tier> tiers, IEnumerable<Division> divisions, WorkingDayCalendar calendar)
    {
        _tiers = tiers.ToDictionary(t => t.Code, StringComparer.Ordinal);
        _divisions = divisions.ToDictionary(d => d.Code, StringComparer.Ordinal);
        Calendar = calendar;
    }

    public IReadOnlyDictionary<string, Tier> Tiers => _tiers;

    public IReadOnlyDictionary<string, Division> Divisions => _divisions;

    public WorkingDayCalendar Calendar { get; }

    public Tier? FindTier(string code) => _tiers.GetValueOrDefault(code);

    public Division? FindDivision(string code) => _divisions.GetValueOrDefault(code);

    /// <summary>True when <paramref name="divisionCode"/> is <paramref name="jurisdictionCode"/> or lies below it.</summary>
    public bool IsWithin(string divisionCode, string jurisdictionCode)
    {
        for (var d = FindDivision(divisionCode); d is not null; d = d.ParentCode is null ? null : FindDivision(d.ParentCode))
        {
            if (d.Code == jurisdictionCode)
            {
                return true;
            }
        }
        return false;
    }
}
