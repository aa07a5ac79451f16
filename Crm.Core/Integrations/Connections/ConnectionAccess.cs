using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Integrations.Connections;

/// <summary>Who may act on a connection: an admin on any of the workspace's, anyone else on their own mailbox or calendar.</summary>
public static class ConnectionAccess
{
    /// <exception cref="NotFoundException">Not a connection of the actor's workspace.</exception>
    /// <exception cref="ForbiddenException">Someone else's, and the actor is not an admin.</exception>
    public static async Task<Integration> LoadAsync(ICrmDb db, long integrationId, CancellationToken ct)
    {
        var connection = await db.Integrations.SingleOrDefaultAsync(i => i.Id == integrationId, ct) ?? throw new NotFoundException("Connection", integrationId);
        if (db.Actor.Role != Users.UserRole.Admin && (connection.OwnerUserId is null || connection.OwnerUserId != db.Actor.UserId))
            throw new ForbiddenException("Only an admin, or the person whose mailbox or calendar it is, can do this.");
        return connection;
    }

    public static async Task<IntegrationView> ViewAsync(ICrmDbFactory dbFactory, long integrationId, CancellationToken ct) =>
        (await new ListIntegrationsHandler(dbFactory).HandleAsync(ct)).Single(v => v.Id == integrationId);
}
