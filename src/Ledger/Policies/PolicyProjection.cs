using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Ledger.Policies;

/// <summary>Keeps <c>policies</c>: which policies an issuer has, so a recognition finds the ones that may cover it.</summary>
public sealed partial class PolicyProjection : EventProjection
{
    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent stored, CancellationToken cancellation)
    {
        switch (stored.Data)
        {
            case AwardPolicyIssued e:
                Sql.Queue(operations, "INSERT INTO policies (policy_id, issuer_code, title, document_number, version) VALUES ($1, $2, $3, $4, 1)",
                    e.PolicyId, e.IssuerCode, e.Terms.Title, e.Terms.DocumentNumber);
                break;
            case AwardPolicyAmended e:
                Sql.Queue(operations, "UPDATE policies SET title = $2, version = $3 WHERE policy_id = $1", e.PolicyId, e.Terms.Title, e.Version);
                break;
            case AwardPolicyRetired e:
                Sql.Queue(operations, "UPDATE policies SET retired_on = $2 WHERE policy_id = $1", e.PolicyId, Sql.Date(e.RetiredOn));
                break;
        }
        return ValueTask.CompletedTask;
    }
}
