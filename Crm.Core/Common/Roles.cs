namespace Crm.Core.Common;

public static class Roles
{
    /// <summary>Role checks live in the use cases too, so no endpoint or page can forget them.</summary>
    public static void EnsureAdmin(Actor actor)
    {
        if (!actor.IsAdmin) throw new ForbiddenException("Only workspace admins can do this.");
    }
}
