using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;

namespace Crm.Core.Integrations.Connections;

public sealed class ConnectionSettingsInput
{
    /// <summary>Minutes between scheduled runs: 5 minutes to a day.</summary>
    [Range(5, 1440, ErrorMessage = "Sync every 5 to 1,440 minutes.")]
    public int? SyncIntervalMinutes { get; set; }

    public SyncDirection? Direction { get; set; }

    [MaxLength(FieldLimits.Name)]
    public string? Name { get; set; }
}

/// <summary>A connection's name, direction and interval; a new interval reschedules its trigger at once.</summary>
public sealed class UpdateConnectionSettingsHandler(ICrmDbFactory dbFactory, IConnectionSchedule schedule)
{
    public async Task<IntegrationView> HandleAsync(long integrationId, ConnectionSettingsInput input, CancellationToken ct = default)
    {
        InputValidation.ThrowIfInvalid(input);
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var connection = await ConnectionAccess.LoadAsync(db, integrationId, ct);
            if (input.Direction is { } direction && !Enum.IsDefined(direction))
                throw new ValidationFailedException(new Dictionary<string, string[]> { ["Direction"] = ["Choose both ways, into the CRM only, or out of it only."] });
            if (input.SyncIntervalMinutes is { } minutes) connection.SyncIntervalMinutes = minutes;
            if (input.Direction is { } d) connection.Direction = d;
            if (!string.IsNullOrWhiteSpace(input.Name)) connection.Name = input.Name.Trim();
            await db.SaveChangesAsync(ct);
        }
        var view = await ConnectionAccess.ViewAsync(dbFactory, integrationId, ct);
        await schedule.ScheduleAsync(view, ct);
        return view;
    }
}
