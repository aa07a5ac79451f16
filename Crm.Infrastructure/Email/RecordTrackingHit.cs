using System.Net;
using Crm.Core.Common;
using Crm.Core.Timeline;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Email;

/// <summary>Who fetched a tracking pixel or followed a link, as far as the request says.</summary>
public sealed record TrackingRequest(string? UserAgent, IPAddress? RemoteIp, long? SignedInUserId, long? SignedInWorkspaceId);

/// <summary>
/// Records opens and clicks of tracked emails (the seed's EmailTracking). The sender's own opens are not counted; opens
/// through Gmail's image proxy or Apple Mail Privacy Protection (Apple's 17.0.0.0/8 network) are counted as "may be
/// automatic", since those fetch the pixel whether or not anyone reads the email.
/// </summary>
public sealed class RecordTrackingHit(CrmDatabase database, TimeProvider clock)
{
    private static readonly string[] ProxyAgents = ["GoogleImageProxy", "ggpht.com", "YahooMailProxy"];

    public async Task OpenAsync(TrackedHit hit, TrackingRequest request, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(hit.WorkspaceId, ChangeSource.System, "tracking"));
        var email = await db.Activities.OfType<EmailActivity>().FirstOrDefaultAsync(a => a.Id == hit.ActivityId, ct);
        if (email is null || IsSender(email, hit, request)) return;
        var now = clock.GetUtcNow();
        email.OpenedAt ??= now;
        email.LastOpenedAt = now;
        email.OpenCount++;
        if (MayBeAutomatic(request)) email.AutomaticOpenCount++;
        await db.SaveChangesAsync(ct);
    }

    public async Task ClickAsync(TrackedHit hit, TrackingRequest request, CancellationToken ct)
    {
        await using var db = database.Create(Actor.System(hit.WorkspaceId, ChangeSource.System, "tracking"));
        var email = await db.Activities.OfType<EmailActivity>().FirstOrDefaultAsync(a => a.Id == hit.ActivityId, ct);
        if (email is null || IsSender(email, hit, request)) return;
        var now = clock.GetUtcNow();
        email.ClickedAt ??= now;
        var links = email.ClickedLinks.ToList();
        var index = links.FindIndex(l => l.Url == hit.Url);
        if (index >= 0) links[index] = links[index] with { ClickCount = links[index].ClickCount + 1 };
        else if (links.Count < 100) links.Add(new ClickedLink(hit.Url!, now, 1));
        email.ClickedLinks = links;
        await db.SaveChangesAsync(ct);
    }

    private static bool IsSender(EmailActivity email, TrackedHit hit, TrackingRequest request) =>
        request.SignedInWorkspaceId == hit.WorkspaceId && request.SignedInUserId is { } user && (email.OwnerId == user || email.MailboxUserIds.Contains(user));

    public static bool MayBeAutomatic(TrackingRequest request) =>
        (request.UserAgent is { } agent && ProxyAgents.Any(p => agent.Contains(p, StringComparison.OrdinalIgnoreCase)))
        || (request.RemoteIp is { } ip && (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip) is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetwork } v4 && v4.GetAddressBytes()[0] == 17);
}
