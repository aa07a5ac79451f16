using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Timeline;

namespace Crm.Core.Exports;

/// <summary>What kind of records an export (or one sheet of it) holds.</summary>
public enum ExportObject
{
    Contact = 0,
    Account = 1,
    Deal = 2,
    Activity = 3,
}

public enum ExportFormat
{
    Csv = 0,
    Xlsx = 1,
    /// <summary>One JSON array of objects.</summary>
    Json = 2,
    /// <summary>One JSON object per line.</summary>
    Ndjson = 3,
}

public enum ExportStatus
{
    Pending = 0,
    Processing = 1,
    Completed = 2,
    Failed = 3,
    /// <summary>Completed, then its file was deleted when it expired.</summary>
    Expired = 4,
}

/// <summary>A list's search, filters and sort, as its page or API call had them (each applies to the object types that have it).</summary>
public sealed record ExportFilter
{
    public string? Search { get; init; }
    public long? OwnerId { get; init; }
    public Lifecycle? Lifecycle { get; init; }
    public long? AccountId { get; init; }
    public string? Industry { get; init; }
    public long? PipelineId { get; init; }
    public long? StageId { get; init; }
    public long? ContactId { get; init; }
    public long? DealId { get; init; }
    public ActivityType? ActivityType { get; init; }
    /// <summary>A sort field of the list ("name", "-updatedAt"); the list's default when empty.</summary>
    public string? Sort { get; init; }
}

/// <summary>One kind of record in an export: which ones (the filter) and which columns (field keys, in order).</summary>
public sealed record ExportPart
{
    public ExportObject Object { get; init; }
    public ExportFilter Filter { get; init; } = new();
    public List<string> Fields { get; init; } = [];
}

/// <summary>
/// An export: asked for, written in the background into the file store, downloadable by the workspace's members
/// until it expires, then deleted by a job and marked expired. Its run (<see cref="Runs.RunKind.Export"/>, subject =
/// its id) says who writes it and how far it is.
/// </summary>
public sealed class ExportJob : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public ExportFormat Format { get; set; }
    public List<ExportPart> Parts { get; set; } = [];
    /// <summary>CSV for Excel: a byte-order mark, the culture's list separator and decimal separator.</summary>
    public bool ExcelFriendly { get; set; }
    /// <summary>The culture for an Excel-friendly CSV (e.g. de-DE: ";" and "1234,5").</summary>
    public string? Culture { get; set; }

    public ExportStatus Status { get; set; }
    public int TotalRows { get; set; }
    public int RowsWritten { get; set; }
    public string? FileKey { get; set; }
    public string FileName { get; set; } = "";
    public long FileSize { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>The workspace's "exports are for admins" setting when it was asked for: downloads then need an admin.</summary>
    public bool AdminOnly { get; set; }

    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? FailureReason { get; set; }

    public long? CreatedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsActive => Status is ExportStatus.Pending or ExportStatus.Processing;
}

/// <summary>A named choice of columns for one object type, offered again in the field picker.</summary>
public sealed class ExportFieldSet : Entity, IWorkspaceOwned, ITimestamped
{
    public long WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public ExportObject Object { get; set; }
    public List<string> Fields { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class ExportLimits
{
    /// <summary>The seed's maxRecords: a workspace's default row limit per export.</summary>
    public const int DefaultRowLimit = 50_000;
    /// <summary>What an admin may raise the CSV/JSON limit to.</summary>
    public const int MaxRowLimit = 10_000_000;
    /// <summary>A worksheet holds 1,048,576 rows, one of them the header.</summary>
    public const int MaxXlsxRows = 1_048_575;
    public const int DefaultRetentionHours = 24;
    public const int MaxRetentionHours = 24 * 30;
}
