using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Email;

/// <summary>A workspace's email logging settings as its users see them; the rules' details only for admins.</summary>
public sealed record EmailSettingsView(
    string LoggingAddress, EmailAutoCreate AutoCreate, bool LogBulk, bool TeammatesSeeBodies, IReadOnlyList<string> NeverLog,
    long RefusedCount, DateTimeOffset? LastRefusedAt, string? LastRefusedFrom);

public sealed record EmailSettingsInput(EmailAutoCreate AutoCreate, bool LogBulk, bool TeammatesSeeBodies, IReadOnlyList<string>? NeverLog);

/// <summary>Every user reads the logging address (they BCC it); the never-log list and refusals are an admin's to see.</summary>
public sealed class GetEmailSettingsHandler(ICrmDbFactory dbFactory, ILoggingAddresses addresses)
{
    public async Task<EmailSettingsView> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var address = await addresses.AddressOfAsync(db, ct);
        var s = await db.EmailSettings.AsNoTracking().FirstAsync(ct);
        return db.Actor.IsAdmin
            ? new EmailSettingsView(address, s.AutoCreate, s.LogBulk, s.TeammatesSeeBodies, s.NeverLog, s.RefusedCount, s.LastRefusedAt, s.LastRefusedFrom)
            : new EmailSettingsView(address, s.AutoCreate, s.LogBulk, s.TeammatesSeeBodies, [], 0, null, null);
    }
}

/// <summary>An admin changes the logging rules; every never-log entry must be an address or a domain (the bad ones are named).</summary>
public sealed class UpdateEmailSettingsHandler(ICrmDbFactory dbFactory, GetEmailSettingsHandler get, TimeProvider clock)
{
    public async Task<EmailSettingsView> HandleAsync(EmailSettingsInput input, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            Roles.EnsureAdmin(db.Actor);
            if (!Enum.IsDefined(input.AutoCreate)) throw new ValidationFailedException(nameof(input.AutoCreate), "Choose off, from sent mail, or from sent and received mail.");
            var entries = (input.NeverLog ?? []).Where(e => !string.IsNullOrWhiteSpace(e)).ToList();
            if (entries.Count > EmailSettings.NeverLogEntries)
                throw new ValidationFailedException(nameof(input.NeverLog), $"The never-log list holds at most {EmailSettings.NeverLogEntries:N0} addresses and domains.");
            var bad = entries.Where(e => LoggingRules.NormalizeEntry(e) is null).Take(5).ToList();
            if (bad.Count > 0)
                throw new ValidationFailedException(nameof(input.NeverLog), $"Not an email address or a domain: {string.Join(", ", bad.Select(b => $"\"{(b.Length > 60 ? b[..60] + "…" : b)}\""))}.");
            var settings = await EmailSettingsStore.GetOrCreateAsync(db, ct);
            settings.AutoCreate = input.AutoCreate;
            settings.LogBulk = input.LogBulk;
            settings.TeammatesSeeBodies = input.TeammatesSeeBodies;
            settings.NeverLog = entries.Select(e => LoggingRules.NormalizeEntry(e)!).Distinct().Order(StringComparer.Ordinal).ToList();
            settings.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
        return await get.HandleAsync(ct);
    }
}

/// <summary>An admin replaces the logging address (the old one stops at once: mail to it is no longer logged).</summary>
public sealed class RotateLoggingAddressHandler(ICrmDbFactory dbFactory, ILoggingAddresses addresses)
{
    public async Task<string> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        Roles.EnsureAdmin(db.Actor);
        return await addresses.RotateAsync(db, ct);
    }
}
