using System.Runtime.CompilerServices;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Imports;
using Crm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Crm.Infrastructure.Imports;

/// <summary>The batch lookups of an import, in chunks the database's parameter limits allow.</summary>
internal static class ImportLookups
{
    private const int Chunk = 500;

    /// <summary>
    /// The million-row path's lookup, compiled once per model (a compiled query refuses a context of another model,
    /// e.g. SQL Server's beside SQLite's): no expression tree to walk and no query cache to probe per batch, ~2 s of
    /// a million-row import's ~28 s.
    /// </summary>
    private static readonly ConditionalWeakTable<IModel, Func<CrmDbContext, string[], IAsyncEnumerable<Contact>>> ContactsByEmail = new();

    private static IAsyncEnumerable<Contact> ContactsWithEmails(CrmDbContext db, string[] emails) =>
        ContactsByEmail.GetValue(db.Model, _ => EF.CompileAsyncQuery((CrmDbContext c, string[] keys) => c.Contacts.AsNoTracking().Where(x => keys.Contains(x.Email!))))(db, emails);

    public static async Task<IReadOnlyDictionary<string, ITrackedRecord>> FindExistingAsync(CrmDbContext db, ImportContext context, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var found = new Dictionary<string, ITrackedRecord>(StringComparer.Ordinal);
        var field = context.MatchField;
        foreach (var chunk in keys.Chunk(Chunk))
        {
            IEnumerable<(string Key, ITrackedRecord Record)> rows = (context.Type, field) switch
            {
                (_, "id") => await ByIdAsync(db, context.Type, chunk.Select(long.Parse).ToList(), ct),
                (RecordType.Contact, "email") => (await ContactsWithEmails(db, chunk).ToListAsync(ct)).Select(c => (c.Email!, (ITrackedRecord)c)),
                (RecordType.Contact, "phone") => (await db.Contacts.AsNoTracking().Where(c => chunk.Contains(c.Phone!)).ToListAsync(ct)).Select(c => (c.Phone!.ToLowerInvariant(), (ITrackedRecord)c)),
                (RecordType.Contact, "linkedInUrl") => (await db.Contacts.AsNoTracking().Where(c => chunk.Contains(c.LinkedInUrl!.ToLower())).ToListAsync(ct)).Select(c => (c.LinkedInUrl!.ToLowerInvariant(), (ITrackedRecord)c)),
                (RecordType.Account, "domain") => (await db.Accounts.AsNoTracking().Where(a => chunk.Contains(a.Domain!)).ToListAsync(ct)).Select(a => (a.Domain!, (ITrackedRecord)a)),
                (RecordType.Account, "name") => (await db.Accounts.AsNoTracking().Where(a => chunk.Contains(a.Name.ToLower())).ToListAsync(ct)).Select(a => (a.Name.ToLowerInvariant(), (ITrackedRecord)a)),
                (RecordType.Deal, "name") => (await db.Deals.AsNoTracking().Include(d => d.Contacts).Where(d => chunk.Contains(d.Name.ToLower())).ToListAsync(ct)).Select(d => (d.Name.ToLowerInvariant(), (ITrackedRecord)d)),
                (_, var custom) when custom.StartsWith(ImportFields.CustomPrefix, StringComparison.Ordinal) => await ByCustomFieldAsync(db, context.Type, custom[ImportFields.CustomPrefix.Length..], chunk, ct),
                _ => throw new ValidationFailedException("MatchField", $"{context.Type}s cannot be matched by '{field}'."),
            };
            // Several records with one key: the oldest wins, every time.
            foreach (var (key, record) in rows.OrderBy(r => r.Record.Id))
                found.TryAdd(key, record);
        }
        return found;
    }

    private static async Task<IEnumerable<(string, ITrackedRecord)>> ByIdAsync(CrmDbContext db, RecordType type, List<long> ids, CancellationToken ct) => type switch
    {
        RecordType.Contact => (await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(ct)).Select(c => (c.Id.ToString(), (ITrackedRecord)c)),
        RecordType.Account => (await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(ct)).Select(a => (a.Id.ToString(), (ITrackedRecord)a)),
        _ => (await db.Deals.AsNoTracking().Include(d => d.Contacts).Where(d => ids.Contains(d.Id)).ToListAsync(ct)).Select(d => (d.Id.ToString(), (ITrackedRecord)d)),
    };

    /// <summary>Custom fields live in a JSON column; the match reads them per record of the batch's candidates.</summary>
    private static async Task<IEnumerable<(string, ITrackedRecord)>> ByCustomFieldAsync(CrmDbContext db, RecordType type, string key, string[] values, CancellationToken ct)
    {
        if (type != RecordType.Contact) return [];
        // The key goes into the SQL text (JSON paths cannot be parameters), so only a valid key is ever used.
        if (!Crm.Core.CustomFields.CustomFieldDefinition.IsValidKey(key)) return [];
        var json = db.Database.IsSqlite() ? $"json_extract(\"CustomFields\", '$.{key}')" : $"JSON_VALUE([CustomFields], '$.\"{key}\"')";
        var set = values.ToHashSet(StringComparer.Ordinal);
        var parameters = values.Select((v, i) => (object)v).ToArray();
        var placeholders = string.Join(", ", values.Select((_, i) => $"{{{i}}}"));
        var sql = "SELECT * FROM \"Contacts\" WHERE lower(" + json + ") IN (" + placeholders + ")";
        var contacts = await db.Contacts.FromSqlRaw(sql, parameters).AsNoTracking().ToListAsync(ct);
        return contacts.Where(c => c.CustomFields.TryGetValue(key, out var v) && set.Contains(v.ToLowerInvariant()))
            .Select(c => (c.CustomFields[key].ToLowerInvariant(), (ITrackedRecord)c));
    }

    public static async Task<(IReadOnlyDictionary<string, long>, IReadOnlyDictionary<string, long>)> FindAccountsAsync(CrmDbContext db, IReadOnlyCollection<string>? names, IReadOnlyCollection<string>? domains, CancellationToken ct)
    {
        var query = db.Accounts.AsNoTracking();
        if (names is not null || domains is not null)
        {
            var n = names ?? [];
            var d = domains ?? [];
            query = query.Where(a => n.Contains(a.Name.ToLower()) || d.Contains(a.Domain!));
        }
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        var byDomain = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var account in query.OrderBy(a => a.Id).Select(a => new { a.Id, a.Name, a.Domain }).AsAsyncEnumerable().WithCancellation(ct))
        {
            byName.TryAdd(account.Name.ToLowerInvariant(), account.Id);
            if (account.Domain is not null) byDomain.TryAdd(account.Domain, account.Id);
        }
        return (byName, byDomain);
    }

    public static async Task<IReadOnlyDictionary<string, long>> FindContactsByEmailAsync(CrmDbContext db, IReadOnlyCollection<string> emails, CancellationToken ct)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var chunk in emails.Chunk(Chunk))
            foreach (var contact in await db.Contacts.AsNoTracking().Where(c => chunk.Contains(c.Email!)).OrderBy(c => c.Id).Select(c => new { c.Id, c.Email }).ToListAsync(ct))
                found.TryAdd(contact.Email!, contact.Id);
        return found;
    }
}
