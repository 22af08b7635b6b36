using System.Security.Cryptography;
using System.Text;
using Ledger.Reference;
using NodaTime;
using Npgsql;

namespace Ledger.Api;

/// <summary>A user of the HTTP API: who they are, the role they act in and the division whose subtree they see.</summary>
public sealed record ApiUser(Guid Id, string Name, string Role, string DivisionCode, Instant ExpiresAt, Instant? RevokedAt);

/// <summary>
/// The API's users and their bearer tokens (<c>api_users</c>): a token is shown once when issued and only its SHA-256 is
/// kept, so the table cannot hand one out; tokens expire, and a revoked one stops authenticating at once.
/// </summary>
public sealed class ApiUsers(NpgsqlDataSource dataSource, ReferenceData reference, IClock clock)
{
    /// <summary>
    /// How long an authenticated token is taken on trust before the table is asked again: a revocation by this process
    /// takes effect at once, one by another process (<c>ledger users revoke</c>) within this time.
    /// </summary>
    public static readonly TimeSpan TrustFor = TimeSpan.FromSeconds(2);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ApiUser User, long At)> _trusted = new(StringComparer.Ordinal);

    /// <summary>The roles a user acts in (docs/decisions.md, HTTP).</summary>
    public static readonly IReadOnlyList<string> Roles = ["clerk", "approver", "auditor", "bureau-head", "admin"];

    private const string Prefix = "ldg_";

    /// <summary>Issues a token for a new user. Answers the user and the token, which is never shown again.</summary>
    public async Task<(ApiUser User, string Token)> AddAsync(string name, string role, string divisionCode, int validDays, CancellationToken cancellationToken = default)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
        {
            throw new DomainException("user.name", "name: give the user's name (1 to 100 characters).");
        }
        if (!Roles.Contains(role))
        {
            throw new DomainException("user.role", $"role: '{role}' is not one of {string.Join(", ", Roles)}.");
        }
        if (reference.FindDivision(divisionCode) is null)
        {
            throw new DomainException("user.division", $"division: '{divisionCode}' is not a division code of the reference data (100000 for the nation).");
        }
        if (validDays is < 1 or > 3660)
        {
            throw new DomainException("user.expiry", $"days: {validDays} is not between 1 and 3660.");
        }
        var token = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetCurrentInstant();
        var user = new ApiUser(Guid.NewGuid(), trimmed, role, divisionCode, now + Duration.FromDays(validDays), null);
        await using var command = dataSource.CreateCommand(
            "INSERT INTO api_users (user_id, name, role, division_code, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)");
        command.Parameters.Add(new NpgsqlParameter { Value = user.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = user.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        command.Parameters.Add(new NpgsqlParameter { Value = divisionCode });
        command.Parameters.Add(new NpgsqlParameter { Value = Hash(token) });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToDateTimeUtc() });
        command.Parameters.Add(new NpgsqlParameter { Value = user.ExpiresAt.ToDateTimeUtc() });
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DomainException("user.exists", $"name: {user.Name} already has an active {role} token; revoke it first (ledger users revoke {user.Name}).");
        }
        return (user, token);
    }

    /// <summary>Revokes the active token of a user (by name or id); answers whether there was one.</summary>
    public async Task<bool> RevokeAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE api_users SET revoked_at = $2 WHERE revoked_at IS NULL AND (name = $1 OR user_id::text = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = nameOrId.Trim() });
        command.Parameters.Add(new NpgsqlParameter { Value = clock.GetCurrentInstant().ToDateTimeUtc() });
        var revoked = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        _trusted.Clear();
        return revoked;
    }

    public async Task<IReadOnlyList<ApiUser>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id, name, role, division_code, expires_at, revoked_at FROM api_users ORDER BY created_at");
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>The user a bearer token belongs to, if it is known, not expired and not revoked.</summary>
    public async Task<ApiUser?> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }
        var hash = Hash(token);
        var now = clock.GetCurrentInstant();
        if (_trusted.TryGetValue(hash, out var trusted) && System.Diagnostics.Stopwatch.GetElapsedTime(trusted.At) < TrustFor && trusted.User.ExpiresAt > now)
        {
            return trusted.User;
        }
        await using var command = dataSource.CreateCommand(
            "SELECT user_id, name, role, division_code, expires_at, revoked_at FROM api_users WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2");
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToDateTimeUtc() });
        var user = (await ReadAsync(command, cancellationToken)).SingleOrDefault();
        if (user is null)
        {
            _trusted.TryRemove(hash, out _);
        }
        else
        {
            _trusted[hash] = (user, System.Diagnostics.Stopwatch.GetTimestamp());
        }
        return user;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static async Task<IReadOnlyList<ApiUser>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var users = new List<ApiUser>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(new ApiUser(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(4)),
                reader.IsDBNull(5) ? null : Instant.FromDateTimeUtc(reader.GetFieldValue<DateTime>(5))));
        }
        return users;
    }
}
