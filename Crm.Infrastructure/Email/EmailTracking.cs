using System.Security.Cryptography;
using Crm.Core.Email;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Crm.Infrastructure.Email;

/// <summary>What a tracking link says once its signature is checked.</summary>
public sealed record TrackedHit(long WorkspaceId, long ActivityId, string? Url);

/// <summary>
/// Tracking links as authenticated, encrypted tokens (Data Protection: AES with an HMAC over the whole payload): the pixel
/// names the email, a click names the email and the exact URL, so a link cannot be made to send anyone anywhere else
/// (no open redirect) and a changed one is refused.
/// </summary>
public sealed class EmailTracking(IDataProtectionProvider protection, IOptions<EmailOptions> options, IHttpContextAccessor? http = null) : IEmailTracking
{
    private readonly IDataProtector _protector = protection.CreateProtector("Crm.Email.Tracking.v1");

    private string Base => (options.Value.PublicUrl
                            ?? (http?.HttpContext?.Request is { } request ? $"{request.Scheme}://{request.Host}{request.PathBase}" : "http://localhost:5080")).TrimEnd('/');

    public string PixelUrl(long workspaceId, long activityId) => $"{Base}/t/o/{_protector.Protect($"o|{workspaceId}|{activityId}")}.gif";

    public string ClickUrl(long workspaceId, long activityId, string url) => $"{Base}/t/c/{_protector.Protect($"c|{workspaceId}|{activityId}|{url}")}";

    /// <summary>The pixel's or link's content; null when it was not made here or was changed.</summary>
    public TrackedHit? Read(string token, char kind)
    {
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
        var parts = payload.Split('|', 4);
        if (parts.Length < 3 || parts[0] != kind.ToString() || !long.TryParse(parts[1], out var workspace) || !long.TryParse(parts[2], out var activity)) return null;
        if (kind == 'c' && (parts.Length != 4 || !Uri.TryCreate(parts[3], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))) return null;
        return new TrackedHit(workspace, activity, kind == 'c' ? parts[3] : null);
    }
}
