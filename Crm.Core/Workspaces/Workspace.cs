using Crm.Core.Common;

namespace Crm.Core.Workspaces;

/// <summary>A tenant. Every other row belongs to exactly one.</summary>
public sealed class Workspace : Entity, ITimestamped
{
    public string Name { get; set; } = "";
    /// <summary>ISO 4217 code used when a deal names no currency.</summary>
    public string DefaultCurrency { get; set; } = "USD";
    /// <summary>The most rows one export may hold (XLSX stops at 1,048,575 whatever this says).</summary>
    public int ExportRowLimit { get; set; } = Exports.ExportLimits.DefaultRowLimit;
    /// <summary>Only admins may export and download exports.</summary>
    public bool ExportsAdminOnly { get; set; }
    /// <summary>How long an export's file is kept before it is deleted.</summary>
    public int ExportRetentionHours { get; set; } = Exports.ExportLimits.DefaultRetentionHours;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
