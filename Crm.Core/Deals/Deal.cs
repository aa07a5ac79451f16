using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Users;

namespace Crm.Core.Deals;

public sealed class Deal : Entity, ITrackedRecord
{
    public long WorkspaceId { get; set; }
    public string Name { get; set; } = "";
    public decimal? Amount { get; set; }
    /// <summary>ISO 4217, upper-case.</summary>
    public string Currency { get; set; } = "USD";
    public long PipelineId { get; set; }
    public Pipeline? Pipeline { get; set; }
    public long StageId { get; set; }
    public PipelineStage? Stage { get; set; }
    public DateOnly? CloseDate { get; set; }
    /// <summary>0–100; follows the stage's probability unless set explicitly.</summary>
    public int Probability { get; set; }
    public long? OwnerId { get; set; }
    public User? Owner { get; set; }
    public long? AccountId { get; set; }
    public Account? Account { get; set; }
    public List<DealContact> Contacts { get; set; } = [];
    /// <summary>Values of the workspace's deal custom fields, by key.</summary>
    public Dictionary<string, string> CustomFields { get; set; } = [];

    public int Version { get; set; }
    public long? CreatedByUserId { get; set; }
    public ChangeSource CreatedSource { get; set; }
    public long? CreatedByImportId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public RecordType RecordType => RecordType.Deal;
}

/// <summary>A contact involved in a deal.</summary>
public sealed class DealContact : IWorkspaceOwned
{
    public long WorkspaceId { get; set; }
    public long DealId { get; set; }
    public long ContactId { get; set; }
    public Contact? Contact { get; set; }
}
