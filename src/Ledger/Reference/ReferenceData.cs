using System.Collections.Concurrent;

namespace Ledger.Reference;

/// <summary>Tiers, divisions, the working-day calendar and the authorities' names the domain decides with. Loaded once at startup from data files.</summary>
public sealed class ReferenceData
{
    private readonly Dictionary<string, Tier> _tiers;
    private readonly Dictionary<string, Division> _divisions;
    private readonly ILookup<string, string> _children;
    private readonly ConcurrentDictionary<string, string[]> _subtrees = new(StringComparer.Ordinal);

    /// <summary>Without a calendar: every working-day question is refused (see <see cref="WorkingDayCalendar.Empty"/>).</summary>
    public ReferenceData(IEnumerable<Tier> tiers, IEnumerable<Division> divisions)
        : this(tiers, divisions, WorkingDayCalendar.Empty)
    {
    }

    public ReferenceData(IEnumerable<Tier> tiers, IEnumerable<Division> divisions, WorkingDayCalendar calendar, AuthorityDirectory? authorities = null)
    {
        _tiers = tiers.ToDictionary(t => t.Code, StringComparer.Ordinal);
        _divisions = divisions.ToDictionary(d => d.Code, StringComparer.Ordinal);
        _children = _divisions.Values.Where(d => d.ParentCode is not null).ToLookup(d => d.ParentCode!, d => d.Code, StringComparer.Ordinal);
        Calendar = calendar;
        Authorities = authorities ?? AuthorityDirectory.Empty;
    }

    public IReadOnlyDictionary<string, Tier> Tiers => _tiers;

    public IReadOnlyDictionary<string, Division> Divisions => _divisions;

    public WorkingDayCalendar Calendar { get; }

    /// <summary>The usual names of the recognising departments and their division codes (authorities.csv).</summary>
    public AuthorityDirectory Authorities { get; }

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

    /// <summary>
    /// <paramref name="code"/> and every division below it, in code order; empty when the code is unknown. Ended
    /// divisions are included: what was recorded in them still counts for their parents. Computed once per code from the
    /// parent links, so callers can ask per command without walking the whole table.
    /// </summary>
    public IReadOnlyList<string> Subtree(string code) =>
        _subtrees.GetOrAdd(code, root =>
        {
            if (!_divisions.ContainsKey(root))
            {
                return [];
            }
            var found = new List<string>();
            var pending = new Stack<string>([root]);
            while (pending.TryPop(out var next))
            {
                found.Add(next);
                foreach (var child in _children[next])
                {
                    pending.Push(child);
                }
            }
            found.Sort(StringComparer.Ordinal);
            return [.. found];
        });

    /// <summary>
    /// The government that recognises <paramref name="tier"/> for an enterprise in <paramref name="countyCode"/>: the
    /// nearest division at or above the county whose level is the tier's recognising level or higher — MIIT's 100000
    /// for a national tier, the province for a provincial one, the city for a municipal one (where a county sits directly
    /// under its province, as Beijing's districts do, the province stands in for the city). Null when the county is unknown.
    /// </summary>
    public Division? RecognisingDivision(Tier tier, string countyCode)
    {
        ArgumentNullException.ThrowIfNull(tier);
        for (var d = FindDivision(countyCode); d is not null; d = d.ParentCode is null ? null : FindDivision(d.ParentCode))
        {
            if (d.Level <= tier.RecognisingLevel)
            {
                return d;
            }
        }
        return null;
    }
}
