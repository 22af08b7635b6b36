using Ledger.Awards;
using Ledger.Disbursements;
using Ledger.Enterprises;
using Ledger.Reference;
using Npgsql;

namespace Ledger.Api;

/// <summary>An enterprise found inside the caller's division: its id, USCC and county now.</summary>
public sealed record ScopedEnterprise(Guid Id, string Uscc, string CountyCode);

/// <summary>
/// Division scope: a user acts on and reads only enterprises, awards and jurisdictions inside their division's subtree
/// (a county user: that county; a city user: its counties). Outside it the answer is 404, as for what does not exist,
/// so the API never tells a user that something exists elsewhere.
/// </summary>
public sealed class ApiScope(LedgerApp app)
{
    private ReferenceData Reference => app.Reference;

    public bool Covers(ApiUser user, string divisionCode) => Reference.IsWithin(divisionCode, user.DivisionCode);

    /// <summary>The jurisdiction a report is for: the one asked, if inside the user's division, else the user's own.</summary>
    public string Jurisdiction(ApiUser user, string? requested)
    {
        if (requested is null)
        {
            return user.DivisionCode;
        }
        if (Reference.FindDivision(requested) is null)
        {
            throw ApiException.BadRequest("jurisdiction", $"'{requested}' is not a division code of the reference data (100000 for the nation)");
        }
        return Covers(user, requested) ? requested : throw ApiException.NotFound($"jurisdiction {requested}");
    }

    /// <summary>A division code a request body names: 400 when the reference data has no such division, 404 outside the user's division.</summary>
    public string Division(ApiUser user, string field, string code)
    {
        if (Reference.FindDivision(code) is null)
        {
            throw ApiException.BadRequest(field, $"'{code}' is not a division code of the reference data");
        }
        return Covers(user, code) ? code : throw ApiException.NotFound($"division {code}");
    }

    /// <summary>An issuer filter inside the user's division (issuers above it are public: their policies cover the user's counties).</summary>
    public string? Issuer(string? issuer) =>
        issuer is null || Reference.FindDivision(issuer) is not null
            ? issuer
            : throw ApiException.BadRequest("issuer", $"'{issuer}' is not a division code of the reference data");

    /// <summary>The award, if it is determined for an enterprise inside the user's division (one lookup in the <c>awards</c> table).</summary>
    public async Task<Guid> AwardAsync(ApiUser user, Guid awardId, CancellationToken cancellationToken)
    {
        await using var command = app.Store.DataSource.CreateCommand("SELECT county_code FROM awards WHERE award_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = awardId });
        return await command.ExecuteScalarAsync(cancellationToken) is string county && Covers(user, county) ? awardId : throw ApiException.NotFound($"award {awardId}");
    }

    /// <summary>The award a disbursement belongs to, if the disbursement exists inside the user's division.</summary>
    public async Task<Guid> DisbursementAwardAsync(ApiUser user, Guid disbursementId, CancellationToken cancellationToken)
    {
        await using var command = app.Store.DataSource.CreateCommand("SELECT award_id, county_code FROM disbursements WHERE disbursement_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = disbursementId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) && Covers(user, reader.GetString(1))
            ? reader.GetGuid(0)
            : throw ApiException.NotFound($"disbursement {disbursementId}");
    }

    /// <summary>The enterprise of a USCC, if it is registered inside the user's division (one lookup in the <c>enterprises</c> table).</summary>
    public async Task<ScopedEnterprise> EnterpriseAsync(ApiUser user, string uscc, CancellationToken cancellationToken)
    {
        var code = ParseUscc(uscc);
        await using var command = app.Store.DataSource.CreateCommand("SELECT enterprise_id, county_code FROM enterprises WHERE uscc = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = code.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) && Covers(user, reader.GetString(1))
            ? new ScopedEnterprise(reader.GetGuid(0), code.Value, reader.GetString(1))
            : throw ApiException.NotFound($"enterprise {code.Value}");
    }

    /// <summary>A USCC of a route: 400 naming uscc when it is not one.</summary>
    public static Uscc ParseUscc(string uscc) =>
        Uscc.TryParse(uscc, out var code, out var error) ? code : throw new ApiException(ApiProblems.Of(400, "uscc.invalid", $"uscc: {error}", "uscc"));

    public async Task<Designations.DesignationState> DesignationAsync(ApiUser user, Guid designationId, CancellationToken cancellationToken)
    {
        var designation = (await app.Designations.LoadAsync(designationId, null, cancellationToken)).State;
        return designation.Status != Designations.DesignationStatus.None && Covers(user, designation.CountyCode)
            ? designation
            : throw ApiException.NotFound($"designation {designationId}");
    }

    /// <summary>412 when the client's If-Match is not the stream's version now.</summary>
    public async Task CheckVersionAsync(long? ifMatch, Guid streamId, CancellationToken cancellationToken)
    {
        if (ifMatch is { } expected && await app.Store.StreamVersionAsync(streamId, cancellationToken) is var actual && actual != expected)
        {
            throw new ApiException(ApiProblems.Of(412, "precondition.version",
                $"If-Match: the stream is at version {actual}, not {expected}; read it again and decide on what it holds now.", "If-Match"));
        }
    }
}
