using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Contacts;

public sealed class UpdateContactHandler(ICrmDbFactory dbFactory)
{
    /// <param name="expectedVersion">The version the caller read; null skips the check (last write wins).</param>
    public async Task<ContactDetails> HandleAsync(long id, ContactInput input, int? expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Contact", id);
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
        var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Contact", id);
        Concurrency.Check("Contact", contact, expectedVersion);
        db.Contacts.Remove(contact);
        await Concurrency.SaveAsync(db, "Contact", contact, ct);
    }
}
