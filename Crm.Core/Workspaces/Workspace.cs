using Crm.Core.Common;

namespace Crm.Core.Workspaces;

/// <summary>A tenant. Every other row belongs to exactly one.</summary>
public sealed class Workspace : Entity, ITimestamped
{
    public string Name { get; set; } = "";
    /// <summary>ISO 4217 code used when a deal names no currency.</summary>
    public string DefaultCurrency { get; set; } = "USD";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
