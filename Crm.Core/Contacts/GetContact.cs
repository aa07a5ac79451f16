using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Contacts;

public sealed class GetContactHandler(ICrmDbFactory dbFactory)
{
    public async Task<ContactDetails> HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await LoadAsync(db, id, ct);
    }

    internal static async Task<ContactDetails> LoadAsync(ICrmDb db, long id, CancellationToken ct) =>
        await db.Contacts.AsNoTracking()
            .Where(c => c.Id == id)
            .Select(c => new ContactDetails(
                c.Id, c.FirstName, c.LastName, c.Email, c.AdditionalEmails, c.Phone, c.JobTitle,
                c.AccountId, c.Account != null ? c.Account.Name : null,
                c.Lifecycle, c.LeadScore, c.ScoreTier,
                c.OwnerId, c.Owner != null ? c.Owner.Name : null,
                c.Source, c.SourceDetail, c.LinkedInUrl, c.Street, c.City, c.Region, c.PostalCode, c.Country,
                c.CustomFields, c.Version, c.CreatedSource, c.CreatedAt, c.UpdatedAt))
            .SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("Contact", id);
}
