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
    /// <summary>Pairs the scan is certain of (confidence 100) are merged without review.</summary>
    public bool DuplicateAutoMerge { get; set; }
    /// <summary>Pairs at or above this confidence go to the review queue.</summary>
    public int DuplicateReviewThreshold { get; set; } = Duplicates.DuplicateThresholds.DefaultReview;
    /// <summary>Pairs at or above this are shown as "possible duplicate" on a record's page.</summary>
    public int DuplicatePossibleThreshold { get; set; } = Duplicates.DuplicateThresholds.DefaultPossible;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
