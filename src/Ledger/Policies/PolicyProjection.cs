using Ledger.EventStore;
using Npgsql;

namespace Ledger.Policies;

/// <summary>Keeps <c>policies</c>: which policies an issuer has, so a recognition finds the ones that may cover it.</summary>
public sealed class PolicyProjection : IInlineProjection
{
    public bool Handles(string eventType) => eventType is "award-policy-issued" or "award-policy-amended" or "award-policy-retired";

    public async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        foreach (var stored in events)
        {
            switch (stored.Data)
            {
                case AwardPolicyIssued e:
                    await Sql.ExecuteAsync(connection,
                        "INSERT INTO policies (policy_id, issuer_code, title, document_number, version, last_seq) VALUES ($1, $2, $3, $4, 1, $5)",
                        cancellationToken, e.PolicyId, e.IssuerCode, e.Terms.Title, e.Terms.DocumentNumber, stored.Seq);
                    break;
                case AwardPolicyAmended e:
                    await Sql.ExecuteAsync(connection,
                        "UPDATE policies SET title = $2, version = $3, last_seq = $4 WHERE policy_id = $1",
                        cancellationToken, e.PolicyId, e.Terms.Title, e.Version, stored.Seq);
                    break;
                case AwardPolicyRetired e:
                    await Sql.ExecuteAsync(connection, "UPDATE policies SET retired_on = $2, last_seq = $3 WHERE policy_id = $1",
                        cancellationToken, e.PolicyId, Sql.Date(e.RetiredOn), stored.Seq);
                    break;
            }
        }
    }
}
