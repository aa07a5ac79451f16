using Crm.Core.Common;

namespace Crm.Core.Integrations.OAuth;

/// <summary>
/// One authorization attempt: who started it (workspace and user), for which provider, its PKCE verifier (protected),
/// when it expires and when it was used. The <c>state</c> parameter sent through the browser names it, signed.
/// </summary>
public sealed class OAuthState : Entity, IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long UserId { get; set; }
    public string Provider { get; set; } = "";
    /// <summary>Random, 256 bits, base64url: what the signed state carries.</summary>
    public string Nonce { get; set; } = "";
    public string ProtectedVerifier { get; set; } = "";
    /// <summary>Where the person goes back to in the app afterwards (a local path).</summary>
    public string ReturnPath { get; set; } = "/";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>What the authorization request needs: the state to send and the PKCE challenge.</summary>
public sealed record OAuthStart(string State, string CodeChallenge, string CodeChallengeMethod);

/// <summary>What the callback needs once the state holds: the verifier for the token request, and where to go back.</summary>
public sealed record OAuthCompletion(string Provider, string CodeVerifier, string ReturnPath);

/// <summary>A callback whose state is forged, expired, used before, or someone else's: nothing happens, the page says why.</summary>
public sealed class OAuthStateRefusedException(string reason) : Exception(reason);

/// <summary>Starts and completes authorizations for the current user; a state works once, for its user, for 10 minutes.</summary>
public interface IOAuthStates
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    Task<OAuthStart> BeginAsync(string provider, string returnPath, CancellationToken ct = default);

    /// <exception cref="OAuthStateRefusedException">The state is not this user's valid, unused, unexpired state for this provider.</exception>
    Task<OAuthCompletion> CompleteAsync(string provider, string state, CancellationToken ct = default);
}
