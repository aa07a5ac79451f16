using Crm.Core.Integrations.Tokens;

namespace Crm.Core.Sync;

/// <summary>
/// An association kept in step, from one object type to another in the other system's names: a contact's company
/// and a deal's company are one each here (<see cref="Single"/>: their primary one), a deal's contacts are many.
/// </summary>
public sealed record AssociationKind(string From, string To, bool Single)
{
    public static readonly AssociationKind ContactCompany = new("contacts", "companies", true);
    public static readonly AssociationKind DealCompany = new("deals", "companies", true);
    public static readonly AssociationKind DealContacts = new("deals", "contacts", false);

    /// <summary>The other system's activity types (HubSpot's engagements): each is about one contact, company and deal here.</summary>
    public static readonly IReadOnlySet<string> ActivityTypes = new HashSet<string>(StringComparer.Ordinal) { "notes", "tasks", "calls", "meetings", "emails" };

    public bool FromActivity => ActivityTypes.Contains(From);

    public static IReadOnlyList<AssociationKind> Of(string objectType) => objectType switch
    {
        "contacts" => [ContactCompany],
        "deals" => [DealCompany, DealContacts],
        _ when ActivityTypes.Contains(objectType) => [new(objectType, "contacts", true), new(objectType, "companies", true), new(objectType, "deals", true)],
        _ => [],
    };
}

/// <summary>One association there: from a record to another.</summary>
public sealed record RemoteAssociation(string From, string To);

/// <summary>
/// A connector's port for associations between records (HubSpot's associations v4): read a batch of records'
/// associations to a type (primary first), add some (as the primary one where a kind has one), remove some. Each answers
/// the pairs the other system refused, with its reason; the rest went through.
/// </summary>
public interface IRemoteAssociations
{
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ReadAsync(ConnectionRef connection, AssociationKind kind, IReadOnlyList<string> ids, CancellationToken ct);

    Task<IReadOnlyList<(RemoteAssociation Pair, string Reason)>> AddAsync(ConnectionRef connection, AssociationKind kind, IReadOnlyList<RemoteAssociation> pairs, CancellationToken ct);

    Task<IReadOnlyList<(RemoteAssociation Pair, string Reason)>> RemoveAsync(ConnectionRef connection, AssociationKind kind, IReadOnlyList<RemoteAssociation> pairs, CancellationToken ct);
}
