namespace Crm.Core.Contacts;

/// <summary>
/// The lifecycle picklist in funnel order: the seed's five and HubSpot's other standard stages (subscriber before a lead,
/// evangelist after a customer, other), so imports and the sync carry them as they are. Stored as numbers, so the
/// values sort in funnel order; the ones added later took -1, 5 and 6 to keep stored values.
/// </summary>
public enum Lifecycle
{
    Subscriber = -1,
    Lead = 0,
    Mql = 1,
    Sql = 2,
    Opportunity = 3,
    Customer = 4,
    Evangelist = 5,
    Other = 6,
}

public static class Lifecycles
{
    /// <summary>Every stage in funnel order (Enum.GetValues puts the negative one last).</summary>
    public static IReadOnlyList<Lifecycle> InOrder { get; } = Enum.GetValues<Lifecycle>().OrderBy(l => (int)l).ToArray();
}
