using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Crm.Core.Integrations.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Core.Calendar;

/// <summary>A calendar connection's calendars and settings as its page shows them.</summary>
public sealed record CalendarSettingsView(long IntegrationId, string Provider, IReadOnlyList<CalendarChoice> Calendars, bool MeetingsOnly, string? OutCalendarId,
    SyncDirection Direction, int SyncIntervalMinutes);

public sealed class CalendarSettingsInput
{
    /// <summary>The calendars to read (ids from the list the provider returned).</summary>
    [Required, MaxLength(CalendarLimits.CalendarsPerConnection)]
    public List<string>? CalendarIds { get; set; }
    public bool MeetingsOnly { get; set; } = true;
    /// <summary>Where meetings scheduled in the CRM are created (a calendar the account may write to).</summary>
    [MaxLength(CalendarLimits.CalendarIdChars)]
    public string? OutCalendarId { get; set; }
    public SyncDirection? Direction { get; set; }
}

/// <summary>
/// A calendar connection's calendars, listed by the provider (so a calendar made there since shows up) and merged
/// with what the person chose; the first listing selects the primary calendar. The owner or an admin only.
/// </summary>
public sealed class GetCalendarSettingsHandler(ICrmDbFactory dbFactory, IServiceProvider services)
{
    public async Task<CalendarSettingsView> HandleAsync(long integrationId, bool refresh, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var connection = await ConnectionAccess.LoadAsync(db, integrationId, ct);
        if (connection.Type != IntegrationType.Calendar) throw new NotFoundException("Calendar connection", integrationId);
        var settings = CalendarSettings.Parse(connection.CalendarSettings);
        if (refresh || settings.Calendars.Count == 0)
        {
            var provider = services.GetKeyedService<ICalendarProvider>(connection.Provider)
                           ?? throw new ValidationFailedException("Provider", $"{connection.Provider} calendars cannot be listed.");
            var listed = await provider.ListCalendarsAsync(new ConnectionRef(connection.WorkspaceId, connection.Id, connection.Provider), ct);
            settings = settings.Refreshed(listed);
            connection.CalendarSettings = settings.ToJson();
            await db.SaveChangesAsync(ct);
        }
        return View(connection, settings);
    }

    public static CalendarSettingsView View(Integration connection, CalendarSettings settings) =>
        new(connection.Id, connection.Provider, settings.Calendars, settings.MeetingsOnly, settings.OutCalendar?.Id, connection.Direction, connection.SyncIntervalMinutes);
}

/// <summary>
/// The calendars to read, meetings-only, the calendar CRM meetings go to and the direction. Ids must be ones the
/// provider listed; a direction that writes needs a calendar the account may write to. The next run reads a newly
/// chosen calendar from the start of the window.
/// </summary>
public sealed class SaveCalendarSettingsHandler(ICrmDbFactory dbFactory)
{
    public async Task<CalendarSettingsView> HandleAsync(long integrationId, CalendarSettingsInput input, CancellationToken ct = default)
    {
        InputValidation.ThrowIfInvalid(input);
        await using var db = await dbFactory.CreateAsync(ct);
        var connection = await ConnectionAccess.LoadAsync(db, integrationId, ct);
        if (connection.Type != IntegrationType.Calendar) throw new NotFoundException("Calendar connection", integrationId);
        var settings = CalendarSettings.Parse(connection.CalendarSettings);
        var ids = (input.CalendarIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
        var unknown = ids.Where(id => settings.Calendars.All(c => c.Id != id)).ToList();
        if (unknown.Count > 0)
            throw new ValidationFailedException("CalendarIds", $"{unknown.Count} of the chosen calendars are not in this account (list the calendars again).");
        var direction = input.Direction ?? connection.Direction;
        if (!Enum.IsDefined(direction)) throw new ValidationFailedException("Direction", "Choose both ways, into the CRM only, or out to the calendar only.");
        if (ids.Count == 0 && direction != SyncDirection.OutOnly) throw new ValidationFailedException("CalendarIds", "Choose at least one calendar to read.");
        var updated = settings with
        {
            Calendars = settings.Calendars.Select(c => c with { Selected = ids.Contains(c.Id) }).ToList(),
            MeetingsOnly = input.MeetingsOnly,
            OutCalendarId = input.OutCalendarId,
        };
        if (input.OutCalendarId is { } outId && updated.Calendars.FirstOrDefault(c => c.Id == outId) is not { CanWrite: true })
            throw new ValidationFailedException("OutCalendarId", "Meetings can only be created in a calendar this account may add events to.");
        if (direction != SyncDirection.InOnly && updated.OutCalendar is null)
            throw new ValidationFailedException("OutCalendarId", "Choose a calendar for meetings scheduled in the CRM, or sync into the CRM only.");
        connection.CalendarSettings = updated.ToJson();
        connection.Direction = direction;
        await db.SaveChangesAsync(ct);
        return GetCalendarSettingsHandler.View(connection, updated);
    }
}
