using Crm.Core.Integrations.Tokens;

namespace Crm.Core.Sync;

/// <summary>One record of the other system, its properties in the other system's names.</summary>
/// <param name="MergedIds">The other system's ids merged into this record (a read by one of them answers with this record): ours follow the merge.</param>
/// <param name="Associations">Its associated records' ids per object type (primary first) when the read carried them; null: not read.</param>
public sealed record RemoteRecord(string Id, IReadOnlyDictionary<string, string?> Properties, DateTimeOffset ModifiedAt, DateTimeOffset? ArchivedAt = null,
    IReadOnlyList<string>? MergedIds = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? Associations = null)
{
    /// <summary>Whether this record answers for <paramref name="id"/>: its own id, or one merged into it.</summary>
    public bool AnswersFor(string id) => Id == id || MergedIds?.Contains(id) == true;
}

/// <summary>A page of records changed since a time, and where the next page starts (null: no more).</summary>
public sealed record RemotePage(IReadOnlyList<RemoteRecord> Records, string? Next);

/// <summary>One record to write: <see cref="Key"/> is ours (the idempotency key), <see cref="Id"/> theirs or null to create.</summary>
public sealed record RemoteWrite(string Key, string? Id, IReadOnlyDictionary<string, string?> Properties);

public enum WriteOutcome
{
    Created,
    Updated,
    Archived,
    /// <summary>The other system refused this record (its reason is kept on the link); the others went through.</summary>
    Refused,
}

public sealed record WriteResult(string Key, WriteOutcome Outcome, string? Id, string? Reason, RemoteRecord? Record = null);

/// <summary>
/// A connector's port for one object type of one provider: read what changed since a time (paged), read by ids, find
/// by a unique property (an email), write a batch (creates and updates, a result per record), archive. Everything in
/// the other system's property names; the <see cref="Map"/> translates.
/// </summary>
public interface IRemoteObjects
{
    string Provider { get; }
    string ObjectType { get; }
    FieldMap Map { get; }

    /// <summary>
    /// A property there the sync writes our record's key into on every create, with unique values (null: none): a
    /// create whose answer was lost is found by it, never made twice.
    /// </summary>
    string? KeyProperty => null;

    /// <summary>The same connector reading and writing the properties of another map (a connection's own mapping).</summary>
    IRemoteObjects WithMap(FieldMap map);

    /// <param name="page">Where the previous page said to go on; null for the first.</param>
    Task<RemotePage> ChangedSinceAsync(ConnectionRef connection, DateTimeOffset since, string? page, CancellationToken ct);

    /// <summary>Every record, paged (a first sync, the nightly comparison): the plain list, which no search limit slows.</summary>
    /// <param name="page">Where the previous page said to go on; null for the first.</param>
    Task<RemotePage> AllAsync(ConnectionRef connection, string? page, CancellationToken ct);

    /// <summary>The records with these ids; one the other system no longer has comes back archived, one it merged away as the record it lives on in.</summary>
    Task<IReadOnlyList<RemoteRecord>> ReadAsync(ConnectionRef connection, IReadOnlyList<string> ids, CancellationToken ct);

    /// <summary>Records whose <paramref name="property"/> is one of <paramref name="values"/> (matching by email).</summary>
    Task<IReadOnlyList<RemoteRecord>> FindAsync(ConnectionRef connection, string property, IReadOnlyList<string> values, CancellationToken ct);

    Task<IReadOnlyList<WriteResult>> WriteAsync(ConnectionRef connection, IReadOnlyList<RemoteWrite> writes, CancellationToken ct);

    Task<IReadOnlyList<WriteResult>> ArchiveAsync(ConnectionRef connection, IReadOnlyList<(string Key, string Id)> records, CancellationToken ct);
}

/// <summary>
/// A picklist value there: its id and label, the group it belongs to (a deal stage's pipeline), its place in the list,
/// and whether it closes a deal as won or lost.
/// </summary>
public sealed record RemoteOption(string Value, string Label, string? Group = null, int Order = 0, bool Won = false, bool Lost = false, int? Percent = null);

/// <summary>A connector whose picklists change per account (HubSpot's deal pipelines and stages): read when a run starts, by their property name.</summary>
public interface IRemotePicklists
{
    Task<IReadOnlyDictionary<string, IReadOnlyList<RemoteOption>>> PicklistsAsync(ConnectionRef connection, CancellationToken ct);
}

/// <summary>One property of the other system's object type, as the mapping editor offers it.</summary>
public sealed record RemoteProperty(string Name, string Label, string Type, IReadOnlyList<RemoteOption> Options, bool ReadOnly, bool Custom);

/// <summary>A connector that can list its object type's properties (HubSpot's <c>/crm/v3/properties</c>, custom ones included).</summary>
public interface IRemoteSchema
{
    Task<IReadOnlyList<RemoteProperty>> PropertiesAsync(ConnectionRef connection, CancellationToken ct);
}

/// <summary>
/// What the other system told us was deleted (HubSpot's deletion webhooks): searches on a modification date never show an
/// archived record, so a run reads these by id to learn of them between nightly comparisons.
/// </summary>
public interface IRemoteDeletions
{
    Task<IReadOnlyList<string>> DeletedSinceAsync(ConnectionRef connection, string objectType, DateTimeOffset since, CancellationToken ct);
}
