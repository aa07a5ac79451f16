using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.History;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Crm.Infrastructure.Persistence.Interceptors;

/// <summary>Turns a modified entry into one <see cref="FieldChange"/> per changed field, values written invariantly.</summary>
internal static class FieldChanges
{
    public static IEnumerable<FieldChange> Of(EntityEntry entry, ITrackedRecord record)
    {
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (!property.IsModified || RecordWrites.Bookkeeping.Contains(name)) continue;
            var before = property.OriginalValue;
            var after = property.CurrentValue;

            if (name == nameof(ISoftDeletable.DeletedAt))
            {
                if ((before is null) != (after is null))
                    yield return New(record, after is null ? ChangeKind.Restored : ChangeKind.Deleted, name, Format(before), Format(after));
                continue;
            }
            if (before is IDictionary<string, string> oldFields && after is IDictionary<string, string> newFields)
            {
                foreach (var key in oldFields.Keys.Union(newFields.Keys).Order(StringComparer.Ordinal))
                {
                    var oldValue = oldFields.TryGetValue(key, out var o) ? o : null;
                    var newValue = newFields.TryGetValue(key, out var n) ? n : null;
                    if (oldValue != newValue) yield return New(record, ChangeKind.Updated, "custom." + key, oldValue, newValue);
                }
                continue;
            }
            var oldText = Format(before);
            var newText = Format(after);
            if (oldText != newText) yield return New(record, ChangeKind.Updated, name, oldText, newText);
        }
    }

    public static FieldChange OfDealContact(DealContact link, bool added) => new()
    {
        RecordType = RecordType.Deal,
        RecordId = link.DealId,
        Kind = ChangeKind.Updated,
        Field = "Contacts",
        OldValue = added ? null : link.ContactId.ToString(CultureInfo.InvariantCulture),
        NewValue = added ? link.ContactId.ToString(CultureInfo.InvariantCulture) : null,
    };

    private static FieldChange New(ITrackedRecord record, ChangeKind kind, string field, string? oldValue, string? newValue) => new()
    {
        RecordType = record.RecordType,
        RecordId = record.Id,
        Kind = kind,
        Field = field,
        OldValue = Truncate(oldValue),
        NewValue = Truncate(newValue),
    };

    public static string? Format(object? value) => ValueText.Format(value);

    private static string? Truncate(string? value) => FieldLimits.Cut(value, FieldLimits.HistoryValue);
}
