using System.Security.Cryptography;
using System.Text;
using Crm.Core.Common;
using Crm.Core.Email;
using Crm.Infrastructure.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Crm.Infrastructure.Email;

/// <summary>
/// Each workspace's secret logging address, <c>log-{secret}@{LoggingDomain}</c>: made on first use, rotated on request
/// (the old one stops at once). The secret is stored encrypted for showing and as a SHA-256 hash for finding the
/// workspace of inbound mail.
/// </summary>
public sealed class LoggingAddresses(CrmDatabase database, IDataProtectionProvider protection, IOptions<EmailOptions> options, TimeProvider clock) : ILoggingAddresses
{
    private const string Prefix = "log-";
    private readonly IDataProtector _protector = protection.CreateProtector("Crm.Email.LoggingAddress.v1");

    public string Domain => options.Value.LoggingDomain.Trim().ToLowerInvariant();

    public async Task<string> AddressOfAsync(ICrmDb db, CancellationToken ct)
    {
        var settings = await EmailSettingsStore.GetOrCreateAsync(db, ct);
        if (settings.LoggingTokenProtected is { } stored) return AddressFor(_protector.Unprotect(stored));
        return await RotateAsync(db, ct);
    }

    public async Task<string> RotateAsync(ICrmDb db, CancellationToken ct)
    {
        var settings = await EmailSettingsStore.GetOrCreateAsync(db, ct);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        settings.LoggingTokenHash = Hash(secret);
        settings.LoggingTokenProtected = _protector.Protect(secret);
        settings.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return AddressFor(secret);
    }

    public bool IsLoggingAddress(string? address) => MailboxAddresses.DomainOf(address) == Domain;

    /// <summary>The workspace a logging address belongs to, or null (not one, or rotated away).</summary>
    public async Task<long?> WorkspaceOfAsync(string address, CancellationToken ct)
    {
        if (MailboxAddresses.Normalize(address) is not { } value || !IsLoggingAddress(value)) return null;
        var local = value[..value.LastIndexOf('@')];
        // "log-secret+anything@" still reaches it (some providers add tags).
        var plus = local.IndexOf('+');
        if (plus > 0) local = local[..plus];
        if (!local.StartsWith(Prefix, StringComparison.Ordinal) || local.Length > 64) return null;
        var hash = Hash(local[Prefix.Length..]);
        await using var db = database.Create(Actor.Anonymous);
        var ids = await db.EmailSettings.IgnoreQueryFilters().Where(s => s.LoggingTokenHash == hash).Select(s => s.WorkspaceId).ToListAsync(ct);
        return ids.Count == 1 ? ids[0] : null;
    }

    private string AddressFor(string secret) => $"{Prefix}{secret}@{Domain}";

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
