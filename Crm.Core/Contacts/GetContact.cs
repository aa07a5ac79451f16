using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Contacts;

public sealed class GetContactHandler(ICrmDbFactory dbFactory)
{
    /// <remarks>A contact merged into another throws <see cref="Duplicates.RecordMergedException"/>: its old id leads to the winner.</remarks>
    public async Task<ContactDetails> HandleAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        try
        {
            return await LoadAsync(db, id, ct);
        }
        catch (NotFoundException)
        {
            var winner = await db.Contacts.IgnoreQueryFilters(["SoftDelete"]).Where(c => c.Id == id && c.MergedIntoId != null).Select(c => c.MergedIntoId).SingleOrDefaultAsync(ct);
            if (winner is { } winnerId) throw new Duplicates.RecordMergedException("Contact", id, await Duplicates.Tombstones.FinalAsync(db.Contacts, winnerId, ct));
            throw;
        }
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
