using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Users;

/// <summary>The time zones a person can pick (IANA ids, as browsers name them).</summary>
public static class TimeZones
{
    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64) return null;
        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;
    }

    /// <summary>Every zone this machine knows, by IANA id, in alphabetical order.</summary>
    public static IReadOnlyList<string> All { get; } = TimeZoneInfo.GetSystemTimeZones()
        .Select(z => TimeZoneInfo.TryConvertWindowsIdToIanaId(z.Id, out var iana) ? iana : z.Id)
        .Append("UTC").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}

/// <summary>The signed-in person's time zone (null: not chosen yet, shown in UTC).</summary>
public sealed class GetMyTimeZoneHandler(ICrmDbFactory dbFactory)
{
    public async Task<string?> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (db.Actor.UserId is not { } userId) return null;
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.TimeZone).SingleOrDefaultAsync(ct);
    }
}

/// <summary>Sets the signed-in person's time zone: their own choice, or the browser's when they have none yet.</summary>
public sealed class SetMyTimeZoneHandler(ICrmDbFactory dbFactory)
{
    /// <param name="onlyIfUnset">The browser's zone, taken on a first visit: never over one the person chose.</param>
    /// <returns>The zone now in force.</returns>
    public async Task<string?> HandleAsync(string? zoneId, bool onlyIfUnset = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        if (db.Actor.UserId is not { } userId) throw new ForbiddenException("Only a signed-in person has a time zone.");
        var zone = TimeZones.Find(zoneId);
        if (zone is null && !string.IsNullOrWhiteSpace(zoneId))
            throw new ValidationFailedException("TimeZone", $"'{zoneId}' is not a time zone; pick one from the list (for example Europe/Berlin).");
        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        if (onlyIfUnset && user.TimeZone is not null) return user.TimeZone;
        user.TimeZone = zone is null ? null : zoneId!.Trim();
        await db.SaveChangesAsync(ct);
        return user.TimeZone;
    }
}
