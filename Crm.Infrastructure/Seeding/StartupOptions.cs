namespace Crm.Infrastructure.Seeding;

/// <summary>Configuration section "Bootstrap": the first admin, created when the database has no workspace yet.</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";
    public string WorkspaceName { get; set; } = "My workspace";
    public string AdminName { get; set; } = "Admin";
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
}

/// <summary>Configuration section "DemoData": a living sample CRM for newcomers (on in Development).</summary>
public sealed class DemoDataOptions
{
    public const string Section = "DemoData";
    public bool Enabled { get; set; }
    public string RepEmail { get; set; } = "rep@example.com";
    public string? RepPassword { get; set; }
    public int Contacts { get; set; } = 500;
    public int Accounts { get; set; } = 100;
    public int Deals { get; set; } = 50;
}
