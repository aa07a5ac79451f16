using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Contacts;
using static System.FormattableString;

namespace Crm.Core.Imports;

/// <summary>
/// Turns a row into an <see cref="ImportRecord"/>: each mapped column through its transform, lengths checked, the
/// seed's required rules applied, and the match key taken. It needs nothing from the database, so a whole file
/// can be validated quickly; references (accounts, owners, stages) are resolved later, per batch.
/// </summary>
public sealed class RowMapper
{
    private readonly RecordType _type;
    private readonly IReadOnlyList<(ColumnMapping Column, ImportField Field)> _columns;
    private readonly ImportOptions _options;
    private readonly string _matchField;
    /// <summary>The column holding the row's country, if one is mapped: its phone numbers are read as that country's.</summary>
    private readonly int? _countryColumn;

    public RowMapper(RecordType type, IReadOnlyList<ImportField> fields, ImportMapping mapping, ImportOptions options)
    {
        _type = type;
        _options = options;
        var byKey = fields.ToDictionary(f => f.Key, StringComparer.Ordinal);
        // A full name only fills what explicit first/last name columns leave empty, so it is applied last.
        _columns = mapping.Columns
            .Where(c => c.Field is not null && byKey.ContainsKey(c.Field))
            .Select(c => (c, byKey[c.Field!]))
            .OrderBy(c => c.Item2.Kind == ImportFieldKind.FullName)
            .ToList();
        _matchField = options.MatchField ?? ImportFields.DefaultMatchField(type, mapping.Columns.Select(c => c.Field));
        _countryColumn = mapping.Columns.FirstOrDefault(c => c.Field == "country")?.Index;
    }

    public string MatchField => _matchField;

    public ImportRecord Map(SourceRow row)
    {
        var record = new ImportRecord(row, _columns.Count);
        if (row.Problem is not null)
        {
            record.Fail(null, null, ImportErrorType.Row, row.Problem);
            return record;
        }
        foreach (var (column, field) in _columns)
        {
            var raw = column.Index < row.Fields.Length ? row.Fields[column.Index] : null;
            var value = ImportValues.Clean(raw);
            if (value is null) continue;
            if (value.Contains('\0'))
            {
                record.Fail(column, value.Replace("\0", "\\0", StringComparison.Ordinal), ImportErrorType.Format, "The value contains a NUL (binary zero) character.");
                continue;
            }
            Apply(record, column, field, value);
        }
        Require(record);
        record.MatchKey = MatchKeyOf(record);
        return record;
    }

    private void Apply(ImportRecord record, ColumnMapping column, ImportField field, string value)
    {
        if (field.MaxLength > 0 && value.Length > field.MaxLength && field.Kind is not (ImportFieldKind.EmailList or ImportFieldKind.ContactEmails))
        {
            record.Fail(column, value, ImportErrorType.Length, Invariant($"{field.Label} can be at most {field.MaxLength:N0} characters; this value has {value.Length:N0}."));
            return;
        }
        switch (field.Kind)
        {
            case ImportFieldKind.Id:
                if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) record.Id = id;
                else record.Fail(column, value, ImportErrorType.Format, $"'{value}' is not a record id of this CRM.");
                break;
            case ImportFieldKind.FullName:
                record.FullName ??= value;
                var (first, last) = ImportValues.SplitName(value);
                if (first is not null) record.Values.TryAdd("FirstName", first);
                if (last is not null) record.Values.TryAdd("LastName", last);
                break;
            case ImportFieldKind.EmailList:
                var emails = record.Values.TryGetValue("AdditionalEmails", out var existing) && existing is List<string> list ? list : [];
                foreach (var part in ImportValues.SplitMany(value).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                {
                    var email = ImportValues.Email(part);
                    if (Failed(record, column, email)) continue;
                    if (!emails.Contains(email.Value!)) emails.Add(email.Value!);
                }
                if (emails.Count > FieldLimits.MaxAdditionalEmails)
                {
                    // Refused, or left as the record has it: never a list cut short without saying so.
                    record.Fail(column, value, ImportErrorType.Length, $"A contact can have at most {FieldLimits.MaxAdditionalEmails} other emails.");
                    break;
                }
                record.Values["AdditionalEmails"] = emails;
                break;
            case ImportFieldKind.ContactEmails:
                foreach (var part in ImportValues.SplitMany(value).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                {
                    var email = ImportValues.Email(part);
                    if (!Failed(record, column, email)) record.ContactEmails.Add(email.Value!);
                }
                break;
            case ImportFieldKind.AccountName:
                record.AccountName = value;
                break;
            case ImportFieldKind.CompanyFlag:
                var flag = ImportValues.Boolean(value);
                if (!Failed(record, column, flag)) record.IsCompany = flag.Value == "true";
                break;
            case ImportFieldKind.AccountDomain:
                var domain = ImportValues.Domain(value);
                if (Failed(record, column, domain)) break;
                record.AccountDomain = domain.Value;
                break;
            case ImportFieldKind.Owner:
                record.OwnerRef = value;
                break;
            case ImportFieldKind.Pipeline:
                record.PipelineName = value;
                break;
            case ImportFieldKind.Stage:
                record.StageName = value;
                break;
            default:
                var parsed = Transform(field, column, value, record);
                if (!Failed(record, column, parsed)) Assign(record, field, parsed.Value!);
                break;
        }
    }

    /// <summary>The phone region of a column: its own setting, else the row's country, else the import's default.</summary>
    private string PhoneRegion(ColumnMapping column, ImportRecord record) =>
        column.PhoneCountry
        ?? (_countryColumn is { } index && index < record.Source.Fields.Length ? Countries.RegionOf(ImportValues.Clean(record.Source.Fields[index])) : null)
        ?? _options.DefaultPhoneCountry;

    private Parsed Transform(ImportField field, ColumnMapping column, string value, ImportRecord record) => field.Kind switch
    {
        ImportFieldKind.Email => ImportValues.Email(ImportValues.HasMany(value) ? ImportValues.SplitMany(value).FirstOrDefault() ?? value : value),
        ImportFieldKind.Phone => ImportValues.Phone(value, PhoneRegion(column, record)),
        ImportFieldKind.Url => ImportValues.Url(value),
        ImportFieldKind.Domain => ImportValues.Domain(value),
        ImportFieldKind.Date => ImportValues.Date(value, column.DateFormat),
        ImportFieldKind.Integer => ImportValues.Integer(value, column.NumberCulture, 0, 1000),
        ImportFieldKind.Money => ImportValues.Number(value, column.NumberCulture, 2) is { Error: null, Value: var v } && decimal.Parse(v!, CultureInfo.InvariantCulture) is var m
            ? (m is < 0 or > 999_999_999_999m ? Parsed.Fail($"'{value}' is outside 0 – 999,999,999,999.") : Parsed.Ok(v!))
            : Parsed.Fail($"'{value}' is not an amount (at most two decimals)."),
        ImportFieldKind.Decimal => ImportValues.Number(value, column.NumberCulture),
        ImportFieldKind.Percent => ImportValues.Percent(value, column.NumberCulture),
        ImportFieldKind.Boolean => ImportValues.Boolean(value),
        ImportFieldKind.Currency => ImportValues.Currency(value),
        ImportFieldKind.Picklist => ImportValues.Lifecycle(value, column.ValueMap),
        _ => Parsed.Ok(value),
    };

    private static bool Failed(ImportRecord record, ColumnMapping column, Parsed parsed)
    {
        if (parsed.Note is not null) record.Notes.Add($"{column.Header}: {parsed.Note}");
        if (parsed.Error is null) return false;
        record.Fail(column, column.Header is { } ? Raw(record, column) : null, parsed.ErrorType, parsed.Error);
        return true;
    }

    private static string? Raw(ImportRecord record, ColumnMapping column) =>
        column.Index < record.Source.Fields.Length ? record.Source.Fields[column.Index] : null;

    private void Assign(ImportRecord record, ImportField field, string value)
    {
        if (field.IsCustom)
        {
            record.Custom[field.Key[ImportFields.CustomPrefix.Length..]] = value;
            return;
        }
        var property = ImportTarget.For(_type).PropertyOf(field.Key);
        object typed = field.Kind switch
        {
            ImportFieldKind.Integer or ImportFieldKind.Percent => int.Parse(value, CultureInfo.InvariantCulture),
            ImportFieldKind.Money => decimal.Parse(value, CultureInfo.InvariantCulture),
            ImportFieldKind.Date => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            ImportFieldKind.Picklist => Enum.Parse<Lifecycle>(value, ignoreCase: true),
            _ => value,
        };
        // The first column of a field wins (e.g. "Email Home" before "Email Work"); later ones do not overwrite it.
        record.Values.TryAdd(property, typed);
    }

    private void Require(ImportRecord record)
    {
        // A contacts file's row with a company but no person — no name, no email, as address books export a company
        // (Google, Outlook) — is that company, as is a row flagged so (Odoo's "Is a company").
        if (_type == RecordType.Contact && !record.IsCompany && record.AccountName is not null
            && !record.Values.ContainsKey("FirstName") && !record.Values.ContainsKey("LastName") && !record.Values.ContainsKey("Email"))
            record.IsCompany = true;
        if (_type == RecordType.Contact && record.IsCompany)
        {
            if (record.CompanyName is null && !record.Failed) record.Fail(null, null, ImportErrorType.Required, "The row is a company, but has no name for its account.");
            return;
        }
        switch (_type)
        {
            case RecordType.Contact when !record.Values.ContainsKey("FirstName") && !record.Values.ContainsKey("LastName") && !record.Values.ContainsKey("Email"):
                if (!record.Failed) record.Fail(null, null, ImportErrorType.Required, "A contact needs a first name, a last name or an email.");
                break;
            case RecordType.Account when !record.Values.ContainsKey("Name"):
                if (!record.Failed) record.Fail(null, null, ImportErrorType.Required, "An account needs a name.");
                break;
            case RecordType.Deal when !record.Values.ContainsKey("Name"):
                if (!record.Failed) record.Fail(null, null, ImportErrorType.Required, "A deal needs a name.");
                break;
        }
    }

    private string? MatchKeyOf(ImportRecord record)
    {
        if (record.IsCompany) return null; // a company row never matches a contact

        if (_matchField == "id") return record.Id?.ToString(CultureInfo.InvariantCulture);
        if (_matchField.StartsWith(ImportFields.CustomPrefix, StringComparison.Ordinal))
            return record.Custom.GetValueOrDefault(_matchField[ImportFields.CustomPrefix.Length..])?.ToLowerInvariant();
        return record.Values.GetValueOrDefault(ImportTarget.For(_type).PropertyOf(_matchField)) is string text ? text.ToLowerInvariant() : null;
    }
}
