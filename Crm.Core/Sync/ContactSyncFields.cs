using Crm.Core.Accounts;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Sync;

/// <summary>
/// A contact as the sync sees it: our field keys with text values, read from the entity and written back through the
/// same validation and normalisation as any edit (a value the contact cannot hold refuses the record, with the reason).
/// </summary>
internal static class ContactSyncFields
{
    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal)
    {
        "firstName", "lastName", "email", "phone", "jobTitle", "lifecycle", "scoreTier", "source", "sourceDetail", "company", "owner",
    };

    public static Dictionary<string, string?> Read(Contact c) => new Dictionary<string, string?>
    {
        ["firstName"] = c.FirstName, ["lastName"] = c.LastName, ["email"] = c.Email, ["phone"] = c.Phone, ["jobTitle"] = c.JobTitle,
        ["lifecycle"] = c.Lifecycle.ToString().ToLowerInvariant(), ["scoreTier"] = c.ScoreTier, ["source"] = c.Source, ["sourceDetail"] = c.SourceDetail,
        ["company"] = c.Account?.Name, ["owner"] = c.OwnerId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Concat(c.CustomFields.Select(f => KeyValuePair.Create(CustomPrefix + f.Key, (string?)f.Value))).ToDictionary();

    /// <summary>A custom field's sync key: "custom." and its key.</summary>
    public const string CustomPrefix = "custom.";

    /// <exception cref="ValidationFailedException">A value the contact cannot take (an invalid email, a too-long name, an unknown stage).</exception>
    public static async Task WriteAsync(ICrmDb db, Contact contact, IReadOnlyDictionary<string, string?> values, CancellationToken ct)
    {
        var input = new ContactInput { FirstName = contact.FirstName, LastName = contact.LastName, Email = contact.Email, Lifecycle = contact.Lifecycle };
        var written = new List<string>();
        string? company = null;
        var companyWritten = false;
        Dictionary<string, string?>? customs = null;
        foreach (var (field, raw) in values)
        {
            var value = SyncSide.Normal(raw);
            switch (field)
            {
                case "firstName": input.FirstName = value; written.Add(nameof(input.FirstName)); break;
                case "lastName": input.LastName = value; written.Add(nameof(input.LastName)); break;
                case "email": input.Email = value; written.Add(nameof(input.Email)); break;
                case "phone": input.Phone = value; written.Add(nameof(input.Phone)); break;
                case "jobTitle": input.JobTitle = value; written.Add(nameof(input.JobTitle)); break;
                case "scoreTier": input.ScoreTier = value; written.Add(nameof(input.ScoreTier)); break;
                case "source": input.Source = value; written.Add(nameof(input.Source)); break;
                case "sourceDetail": input.SourceDetail = value; written.Add(nameof(input.SourceDetail)); break;
                case "lifecycle":
                    if (!Enum.TryParse<Lifecycle>(value ?? nameof(Lifecycle.Lead), ignoreCase: true, out var stage) || !Enum.IsDefined(stage))
                        throw new ValidationFailedException(new Dictionary<string, string[]> { ["Lifecycle"] = [$"\"{value}\" is not a lifecycle stage here."] });
                    input.Lifecycle = stage;
                    written.Add(nameof(input.Lifecycle));
                    break;
                case "owner":
                    input.OwnerId = value is null ? null : long.TryParse(value, out var owner) ? owner
                        : throw new ValidationFailedException(new Dictionary<string, string[]> { ["OwnerId"] = [$"\"{value}\" is not a user here."] });
                    written.Add(nameof(input.OwnerId));
                    break;
                case "company":
                    (company, companyWritten) = (value, true);
                    break;
                case var custom when custom.StartsWith(CustomPrefix, StringComparison.Ordinal):
                    customs ??= contact.CustomFields.ToDictionary(f => f.Key, f => (string?)f.Value);
                    customs[custom[CustomPrefix.Length..]] = value;
                    break;
            }
        }
        if (customs is not null)
        {
            // Checked against the field's type like any edit; an emptied one is dropped.
            input.CustomFields = customs;
            written.Add(nameof(input.CustomFields));
        }
        await ContactWriter.ApplyAsync(db, contact, input, WrittenFields.Only(written), ct);
        if (companyWritten) await LinkCompanyAsync(db, contact, company, ct);
    }

    /// <summary>The account named so (case-blind), or a new one: the company is a name on their side, an account on ours.</summary>
    private static async Task LinkCompanyAsync(ICrmDb db, Contact contact, string? name, CancellationToken ct)
    {
        if (name is null)
        {
            contact.AccountId = null;
            contact.Account = null;
            return;
        }
        name = Text.Clean(name)!;
        if (name.Length > FieldLimits.LongName)
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["Company"] = [$"A company name is at most {FieldLimits.LongName} characters."] });
        if (contact.Account?.Name.Equals(name, StringComparison.OrdinalIgnoreCase) == true) return;
        var lowered = name.ToLowerInvariant();
        var account = db.Accounts.Local.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                      ?? await db.Accounts.FirstOrDefaultAsync(a => a.Name.ToLower() == lowered, ct);
        if (account is null) db.Accounts.Add(account = new Account { Name = name });
        contact.Account = account;
    }
}
