using System.Collections.Concurrent;
using System.Diagnostics;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.OAuth;
using Crm.Core.Integrations.Tokens;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Crm.Infrastructure.Integrations.Tokens;

/// <summary>
/// Access tokens of connections, refreshed single-flight: in this process one caller per connection at a time (a
/// semaphore), across instances one claim on the credential row (<c>RefreshClaimedUntil</c>). Whoever gets through
/// first re-reads the row: when another caller already refreshed, its token is used and the provider is not asked
/// again — so 20 callers on an expired token make one refresh request, and a rotated refresh token is sent once.
/// </summary>
public sealed class ConnectionTokens(CrmDatabase database, ConnectionSecretCodec codec, IServiceProvider services, IConnectionStatus status,
    TimeProvider time, ILogger<ConnectionTokens> log) : IAccessTokens
{
    /// <summary>How long one instance may hold a refresh before another takes over (a refresh is one HTTP request).</summary>
    private static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(60);
    /// <summary>How long a caller waits for another instance's refresh before giving up for now.</summary>
    private static readonly TimeSpan WaitForOthers = TimeSpan.FromSeconds(45);

    private readonly ConcurrentDictionary<long, SemaphoreSlim> _gates = new();

    private sealed record Stored(ConnectionSecrets Secrets, DateTimeOffset? ExpiresAt);

    public async Task<string> GetAsync(ConnectionRef connection, CancellationToken ct = default)
    {
        var stored = await ReadAsync(connection, ct);
        if (!ExpiresBefore(stored, time.GetUtcNow() + IAccessTokens.RefreshMargin)) return stored.Secrets.AccessToken!;
        return (await RefreshAsync(connection, s => ExpiresBefore(s, time.GetUtcNow() + IAccessTokens.RefreshMargin), ct)).Token;
    }

    public async Task<string> RenewAsync(ConnectionRef connection, string refused, CancellationToken ct = default) =>
        (await RefreshAsync(connection, s => s.Secrets.AccessToken == refused, ct)).Token;

    public async Task<bool> RefreshIfExpiringAsync(ConnectionRef connection, DateTimeOffset before, CancellationToken ct = default) =>
        (await RefreshAsync(connection, s => ExpiresBefore(s, before), ct)).Refreshed;

    private static bool ExpiresBefore(Stored stored, DateTimeOffset when) =>
        string.IsNullOrEmpty(stored.Secrets.AccessToken) || stored.ExpiresAt is { } expires && expires <= when;

    private async Task<(string Token, bool Refreshed)> RefreshAsync(ConnectionRef connection, Func<Stored, bool> stillNeeded, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(connection.IntegrationId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var waited = Stopwatch.StartNew();
            while (true)
            {
                var stored = await ReadAsync(connection, ct);
                if (!stillNeeded(stored)) return (stored.Secrets.AccessToken!, false);
                if (await ClaimAsync(connection, ct)) return (await RefreshClaimedAsync(connection, stored, ct), true);
                // Another instance is refreshing: its result lands in the row.
                if (waited.Elapsed > WaitForOthers)
                    throw new OAuthProviderException(connection.Provider, 0, null, "Another app instance is still refreshing this connection's tokens; try again shortly.");
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<string> RefreshClaimedAsync(ConnectionRef connection, Stored stored, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(stored.Secrets.RefreshToken))
        {
            await ReleaseAsync(connection);
            await status.NeedsReconnectAsync(connection, "This connection has no refresh token; reconnect it.", ct);
            throw new ReconnectRequiredException(connection, "This connection has no refresh token; reconnect it.");
        }
        var provider = services.GetRequiredKeyedService<IOAuthProvider>(connection.Provider);
        OAuthTokens tokens;
        try
        {
            tokens = await provider.RefreshAsync(stored.Secrets.RefreshToken, ct);
        }
        catch (OAuthProviderException e) when (e.GrantRejected)
        {
            await ReleaseAsync(connection);
            var reason = $"Access was withdrawn or expired at the provider ({e.Error}). Reconnect to resume; sync continues where it left off.";
            log.LogWarning("Connection {IntegrationId} ({Provider}) needs a reconnect: the provider refused its refresh token ({Error})", connection.IntegrationId, connection.Provider, e.Error);
            await status.NeedsReconnectAsync(connection, reason, ct);
            throw new ReconnectRequiredException(connection, reason);
        }
        catch
        {
            await ReleaseAsync(connection);
            throw;
        }

        // A rotating provider (Microsoft) has just retired the old refresh token: the new one is stored before anything else.
        var secrets = stored.Secrets with { AccessToken = tokens.AccessToken, RefreshToken = tokens.RefreshToken ?? stored.Secrets.RefreshToken };
        var expires = tokens.ExpiresInSeconds is { } seconds ? time.GetUtcNow().AddSeconds(seconds) : (DateTimeOffset?)null;
        var protectedText = codec.Protect(secrets);
        await using (var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync)))
            await db.IntegrationCredentials.Where(c => c.IntegrationId == connection.IntegrationId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Protected, protectedText).SetProperty(c => c.AccessTokenExpiresAt, expires)
                    .SetProperty(c => c.RefreshClaimedUntil, (DateTimeOffset?)null).SetProperty(c => c.UpdatedAt, time.GetUtcNow()), CancellationToken.None);
        log.LogInformation("Refreshed the tokens of connection {IntegrationId} ({Provider})", connection.IntegrationId, connection.Provider);
        return tokens.AccessToken;
    }

    private async Task<Stored> ReadAsync(ConnectionRef connection, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        var row = await db.IntegrationCredentials.AsNoTracking().Where(c => c.IntegrationId == connection.IntegrationId)
            .Select(c => new { c.Protected, c.AccessTokenExpiresAt }).SingleOrDefaultAsync(ct);
        if (row is null) throw new ReconnectRequiredException(connection, "This connection has no tokens (it was disconnected); connect it again.");
        return new Stored(codec.Unprotect(row.Protected), row.AccessTokenExpiresAt);
    }

    private async Task<bool> ClaimAsync(ConnectionRef connection, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        return await db.IntegrationCredentials
            .Where(c => c.IntegrationId == connection.IntegrationId && (c.RefreshClaimedUntil == null || c.RefreshClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RefreshClaimedUntil, now + ClaimFor), ct) == 1;
    }

    private async Task ReleaseAsync(ConnectionRef connection)
    {
        await using var db = database.Create(Actor.System(connection.WorkspaceId, ChangeSource.Sync));
        await db.IntegrationCredentials.Where(c => c.IntegrationId == connection.IntegrationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RefreshClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
    }
}
