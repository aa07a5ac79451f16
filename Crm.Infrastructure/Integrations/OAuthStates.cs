using System.Security.Cryptography;
using Crm.Core.Common;
using Crm.Core.Integrations.OAuth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Integrations;

/// <summary>
/// OAuth <c>state</c>: a random nonce signed (and encrypted) with the key ring together with the user, workspace and
/// provider it was made for, so a forged or altered one cannot be read; a row per attempt holds the PKCE verifier, the
/// expiry and the time it was used, so each works once and only for 10 minutes.
/// </summary>
public sealed class OAuthStates(ICrmDbFactory dbFactory, IDataProtectionProvider protection, TimeProvider time) : IOAuthStates
{
    private readonly IDataProtector _state = protection.CreateProtector("Crm.Integrations.OAuthState.v1");
    private readonly IDataProtector _verifier = protection.CreateProtector("Crm.Integrations.OAuthVerifier.v1");

    public async Task<OAuthStart> BeginAsync(string provider, string returnPath, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var actor = db.Actor;
        if (actor.UserId is not { } userId) throw new ForbiddenException("Only a signed-in person can connect an account.");
        var nonce = Pkce.Base64Url(RandomNumberGenerator.GetBytes(32));
        var verifier = Pkce.NewVerifier();
        var now = time.GetUtcNow();
        db.OAuthStates.Add(new OAuthState
        {
            UserId = userId, Provider = provider, Nonce = nonce, ProtectedVerifier = _verifier.Protect(verifier),
            ReturnPath = IsLocal(returnPath) ? returnPath : "/", CreatedAt = now, ExpiresAt = now + IOAuthStates.Lifetime,
        });
        await db.SaveChangesAsync(ct);
        var state = _state.Protect($"{nonce}|{actor.WorkspaceId}|{userId}|{provider}");
        return new OAuthStart(state, Pkce.ChallengeOf(verifier), Pkce.Method);
    }

    public async Task<OAuthCompletion> CompleteAsync(string provider, string state, CancellationToken ct = default)
    {
        string[] parts;
        try
        {
            parts = _state.Unprotect(state).Split('|');
        }
        catch (CryptographicException)
        {
            throw new OAuthStateRefusedException("This sign-in link is not one the CRM made. Start connecting again from the Integrations page.");
        }
        await using var db = await dbFactory.CreateAsync(ct);
        var actor = db.Actor;
        if (parts.Length != 4 || parts[1] != actor.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture)
            || parts[2] != actor.UserId?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw new OAuthStateRefusedException("This connection was started by someone else (or in another workspace). Start it again yourself.");
        // The state names a connection kind: the provider alone, or "google:email" and the like.
        if (parts[3] != provider && !parts[3].StartsWith(provider + ":", StringComparison.Ordinal))
            throw new OAuthStateRefusedException("This answer is for another provider. Start connecting again.");
        var nonce = parts[0];
        var now = time.GetUtcNow();
        // Used once: the first callback marks it; a replay finds it used.
        var taken = await db.OAuthStates.Where(s => s.Nonce == nonce && s.UsedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedAt, now), ct);
        var row = await db.OAuthStates.AsNoTracking().SingleOrDefaultAsync(s => s.Nonce == nonce, ct)
                  ?? throw new OAuthStateRefusedException("This connection attempt is unknown here. Start connecting again.");
        if (taken == 0)
            throw new OAuthStateRefusedException(row.UsedAt is not null
                ? "This sign-in answer was already used. Start connecting again if the account is not connected."
                : "This connection attempt expired (after 10 minutes). Start connecting again.");
        return new OAuthCompletion(row.Provider, _verifier.Unprotect(row.ProtectedVerifier), row.ReturnPath);
    }

    /// <summary>Only paths of this app: never another site (an open redirect).</summary>
    private static bool IsLocal(string path) =>
        path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/\\", StringComparison.Ordinal) && path.Length <= 500;
}
