using Crm.Core.Common;

namespace Crm.Core.Contacts;

public sealed class UpdateContactHandler(ICrmDbFactory dbFactory)
{
    /// <param name="expectedVersion">The version the caller read; null skips the check (last write wins).</param>
    public async Task<ContactDetails> HandleAsync(long id, ContactInput input, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var contact = await db.Contacts.GetAsync(id, "Contact", ct);
        Concurrency.Check("Contact", contact, expectedVersion);
        await ContactWriter.ApplyAsync(db, contact, input, ct);
        await Concurrency.SaveAsync(db, "Contact", contact, ct);
        return await GetContactHandler.LoadAsync(db, id, ct);
    }
}

public sealed class DeleteContactHandler(ICrmDbFactory dbFactory)
{
    public async Task HandleAsync(long id, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        await db.DeleteAsync(db.Contacts, id, expectedVersion, "Contact", ct);
    }
}
