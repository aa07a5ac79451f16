using System.Globalization;
using Crm.Core.Common;
using Crm.Core.Imports;
using Microsoft.EntityFrameworkCore;
using static System.FormattableString;

namespace Crm.Core.Exports;

/// <summary>The fields an object type can export, for the field picker.</summary>
public sealed class ListExportFieldsHandler(ICrmDbFactory dbFactory)
{
    public async Task<IReadOnlyList<ExportField>> HandleAsync(ExportObject type, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return ExportFields.For(type, await StartExportHandler.CustomFieldsAsync(db, ct));
    }
}
