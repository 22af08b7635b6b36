using Ledger.ReadModels;

namespace Ledger.Policies;

/// <summary>Keeps <c>policies</c>: which policies an issuer has, so a recognition finds the ones that may cover it.</summary>
public sealed class PolicyProjection : IReadProjection
{
    public IReadOnlyList<ReadTable> Tables { get; } = [ReadTables.Policies];

    public void Project(ProjectedEvent @event, IReadModelWriter writer)
    {
        switch (@event.Data)
        {
            case AwardPolicyIssued e:
                writer.Insert(ReadTables.Policies, e.PolicyId, e.IssuerCode, e.Terms.Title, e.Terms.DocumentNumber, 1, null);
                break;
            case AwardPolicyAmended e:
                writer.Update(ReadTables.Policies, [e.PolicyId], new("title", e.Terms.Title), new("version", e.Version));
                break;
            case AwardPolicyRetired e:
                writer.Update(ReadTables.Policies, [e.PolicyId], new Assignment("retired_on", Sql.Date(e.RetiredOn)));
                break;
        }
    }
}
