namespace Crm.Core.Users;

/// <summary>Admin: everything, including users, settings, imports, exports and integrations. Rep: contacts, accounts, deals, timelines.</summary>
public enum UserRole
{
    Rep = 0,
    Admin = 1,
}
