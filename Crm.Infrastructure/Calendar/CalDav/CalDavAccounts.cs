using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Crm.Infrastructure.Calendar.CalDav;

/// <summary>A CalDAV connection's account: its calendar home, user name and the password kept encrypted with it.</summary>
public sealed class CalDavAccounts(ICrmDbFactory dbFactory, IConnectionSecrets secrets)
{
    /// <exception cref="ReconnectRequiredException">The password is gone (it is asked for again).</exception>
    public async Task<CalDavAccount> ForAsync(ConnectionRef connection, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var row = await db.Integrations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == connection.IntegrationId, ct)
                  ?? throw new NotFoundException("Connection", connection.IntegrationId);
        var password = (await secrets.ReadAsync(connection.IntegrationId, ct))?.Password;
        if (password is null || row.InstanceUrl is null || row.AccountName is null)
            throw new ReconnectRequiredException(connection, "The calendar's password is missing: connect it again.");
        return new CalDavAccount(new Uri(row.InstanceUrl), row.AccountName, password);
    }
}
