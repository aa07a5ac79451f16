using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Email;

/// <summary>A workspace's email settings row, made with the defaults the first time anything asks for it.</summary>
public static class EmailSettingsStore
{
    public static async Task<EmailSettings> GetOrCreateAsync(ICrmDb db, CancellationToken ct)
    {
        var settings = await db.EmailSettings.FirstOrDefaultAsync(ct);
        if (settings is not null) return settings;
        settings = new EmailSettings();
        db.EmailSettings.Add(settings);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Made by another request at the same moment: that one is the row.
            if (db is DbContext context) context.ChangeTracker.Clear();
            settings = await db.EmailSettings.FirstAsync(ct);
        }
        return settings;
    }
}

/// <summary>The workspace's secret logging address (BCC / forward), as the settings page shows it.</summary>
public interface ILoggingAddresses
{
    string Domain { get; }
    Task<string> AddressOfAsync(ICrmDb db, CancellationToken ct);
    Task<string> RotateAsync(ICrmDb db, CancellationToken ct);
    bool IsLoggingAddress(string? address);
    Task<long?> WorkspaceOfAsync(string address, CancellationToken ct);
}
