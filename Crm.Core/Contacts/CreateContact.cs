using Crm.Core.Common;

namespace Crm.Core.Contacts;

public sealed class CreateContactHandler(ICrmDbFactory dbFactory)
{
    public async Task<ContactDetails> HandleAsync(ContactInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var contact = new Contact();
        await ContactWriter.ApplyAsync(db, contact, input, ct);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(ct);
        return await GetContactHandler.LoadAsync(db, contact.Id, ct);
    }
}
