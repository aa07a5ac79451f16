using Crm.Core.Common;

namespace Crm.Core.Deals;

public sealed record DealListItem(
    long Id, string Name, decimal? Amount, string Currency,
    long PipelineId, string PipelineName, long StageId, string StageName, int Probability, DateOnly? CloseDate,
    long? AccountId, string? AccountName, long? OwnerId, string? OwnerName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record DealContactItem(long ContactId, string? FirstName, string? LastName, string? Email)
{
    public string DisplayName => Contacts.ContactNames.Display(FirstName, LastName, Email);
}

public sealed record DealDetails(
    long Id, string Name, decimal? Amount, string Currency,
    long PipelineId, string PipelineName, long StageId, string StageName, int Probability, DateOnly? CloseDate,
    long? AccountId, string? AccountName, long? OwnerId, string? OwnerName,
    IReadOnlyList<DealContactItem> Contacts,
    IReadOnlyDictionary<string, string> CustomFields,
    int Version, ChangeSource CreatedSource, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public DealInput ToInput() => new()
    {
        Name = Name, Amount = Amount, Currency = Currency, PipelineId = PipelineId, StageId = StageId,
        CloseDate = CloseDate, Probability = Probability, OwnerId = OwnerId, AccountId = AccountId,
        ContactIds = Contacts.Select(c => c.ContactId).ToList(),
        CustomFields = CustomFields.ToDictionary(kv => kv.Key, kv => (string?)kv.Value),
    };
}

public sealed record StageView(long Id, string Name, int Order, int Probability, bool IsWon, bool IsLost);

public sealed record PipelineView(long Id, string Name, bool IsDefault, IReadOnlyList<StageView> Stages);
