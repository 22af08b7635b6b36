using Ledger.Reference;

namespace Ledger.Imports;

/// <summary>
/// The lookups an import's deciders need besides stream state — which designations and awards an enterprise has, which
/// policies an issuer has and by which key, which voucher paid what — as the ledger's read tables held them when the
/// import loaded, kept up to date as rows decide. Each pass starts from a <see cref="Copy"/> of the loaded index.
/// </summary>
internal sealed class ImportIndex
{
    private readonly Dictionary<Guid, List<Guid>> _designations = [];
    private readonly Dictionary<Guid, List<Guid>> _awards = [];
    private readonly Dictionary<string, List<Guid>> _policiesByIssuer = new(StringComparer.Ordinal);

    public Dictionary<string, Guid> PolicyKeys { get; private init; } = new(StringComparer.Ordinal);

    public Dictionary<string, (Guid AwardId, Guid DisbursementId)> Vouchers { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Rows of enterprises.csv by enterprise (per pass: a second row for one USCC is an error).</summary>
    public Dictionary<Guid, RowSource> EnterpriseRows { get; private init; } = [];

    /// <summary>The payment row of each voucher in the files (a second row with one voucher is an error).</summary>
    public Dictionary<string, RowSource> VouchersInFile { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Every budget line the rows read: streams shared by all the enterprises of a batched import.</summary>
    public HashSet<Guid> Lines { get; private init; } = [];

    /// <summary>Every policy the ledger or the files hold.</summary>
    public IEnumerable<Guid> Policies => _policiesByIssuer.Values.SelectMany(p => p);

    public IReadOnlyList<Guid> DesignationsOf(Guid enterpriseId) => _designations.GetValueOrDefault(enterpriseId) ?? [];

    public IReadOnlyList<Guid> AwardsOf(Guid enterpriseId) => _awards.GetValueOrDefault(enterpriseId) ?? [];

    public void AddDesignation(Guid enterpriseId, Guid designationId) => Add(_designations, enterpriseId, designationId);

    public void AddAward(Guid enterpriseId, Guid awardId) => Add(_awards, enterpriseId, awardId);

    public void AddPolicy(Guid policyId, string issuerCode, string? key)
    {
        if (!_policiesByIssuer.TryGetValue(issuerCode, out var policies))
        {
            _policiesByIssuer[issuerCode] = policies = [];
        }
        if (!policies.Contains(policyId))
        {
            policies.Add(policyId);
            policies.Sort();
        }
        if (key is not null)
        {
            PolicyKeys[key] = policyId;
        }
    }

    public string? KeyOf(Guid policyId) => PolicyKeys.FirstOrDefault(k => k.Value == policyId).Key;

    /// <summary>The policies whose issuer is the county or one of the divisions above it, in id order (as the live handler finds them).</summary>
    public IEnumerable<Guid> CoveringPolicies(string countyCode, ReferenceData reference)
    {
        var covering = new List<Guid>();
        for (var d = reference.FindDivision(countyCode); d is not null; d = d.ParentCode is null ? null : reference.FindDivision(d.ParentCode))
        {
            covering.AddRange(_policiesByIssuer.GetValueOrDefault(d.Code) ?? []);
        }
        covering.Sort();
        return covering;
    }

    /// <summary>Drops the designations, awards and enterprise rows of <paramref name="enterprises"/> and what <paramref name="vouchers"/> paid.</summary>
    public void Forget(IEnumerable<Guid> enterprises, IEnumerable<string> vouchers)
    {
        foreach (var enterprise in enterprises)
        {
            _designations.Remove(enterprise);
            _awards.Remove(enterprise);
            EnterpriseRows.Remove(enterprise);
        }
        foreach (var voucher in vouchers)
        {
            Vouchers.Remove(voucher);
        }
    }

    public ImportIndex Copy()
    {
        var copy = new ImportIndex
        {
            PolicyKeys = new Dictionary<string, Guid>(PolicyKeys, StringComparer.Ordinal),
            Vouchers = new Dictionary<string, (Guid, Guid)>(Vouchers, StringComparer.Ordinal),
            EnterpriseRows = new Dictionary<Guid, RowSource>(EnterpriseRows),
            VouchersInFile = new Dictionary<string, RowSource>(VouchersInFile, StringComparer.Ordinal),
            Lines = [.. Lines],
        };
        foreach (var (key, value) in _designations)
        {
            copy._designations[key] = [.. value];
        }
        foreach (var (key, value) in _awards)
        {
            copy._awards[key] = [.. value];
        }
        foreach (var (key, value) in _policiesByIssuer)
        {
            copy._policiesByIssuer[key] = [.. value];
        }
        return copy;
    }

    private static void Add(Dictionary<Guid, List<Guid>> map, Guid key, Guid value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }
}
