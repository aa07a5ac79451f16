using System.ComponentModel.DataAnnotations;
using Crm.Core.Common;
using Crm.Core.Integrations.Connections;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Calendar;

public sealed class CalDavConnectInput
{
    /// <summary>The server (https://caldav.icloud.com/ for Apple).</summary>
    [Required, MaxLength(FieldLimits.Url)]
    public string? ServerUrl { get; set; }
    /// <summary>The account's user name (the Apple ID's email address for iCloud).</summary>
    [Required, MaxLength(FieldLimits.Email)]
    public string? Username { get; set; }
    /// <summary>An app-specific password (never the account's own password); stored encrypted, never shown again.</summary>
    [Required, MaxLength(200)]
    public string? Password { get; set; }
}

/// <summary>What a CalDAV account showed when it was tried: its calendar home and calendars.</summary>
public sealed record CalDavProbe(string HomeUrl, IReadOnlyList<CalendarChoice> Calendars);

/// <summary>Tries a CalDAV account (address allowed, discovery, the password accepted) before anything is saved.</summary>
public interface ICalDavConnector
{
    /// <exception cref="ValidationFailedException">The address is not allowed or the server refused the account.</exception>
    Task<CalDavProbe> ProbeAsync(string serverUrl, string username, string password, CancellationToken ct);
}

/// <summary>
/// Connects a person's Apple (iCloud) or other CalDAV calendar: the account is tried first (discovery and the password),
/// then the connection is made — or remade, keeping its calendar choices — with the password encrypted like a token,
/// its first calendar selected, and its polling scheduled.
/// </summary>
public sealed class ConnectCalDavHandler(ICrmDbFactory dbFactory, ICalDavConnector connector, IConnectionSecrets secrets, IConnectionSchedule schedule, TimeProvider time)
{
    public async Task<IntegrationView> HandleAsync(CalDavConnectInput input, CancellationToken ct = default)
    {
        InputValidation.ThrowIfInvalid(input);
        var username = input.Username!.Trim();
        var probe = await connector.ProbeAsync(input.ServerUrl!.Trim(), username, input.Password!, ct);
        if (probe.Calendars.Count == 0) throw new ValidationFailedException("ServerUrl", "The account has no calendars with events.");
        long id;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var owner = db.Actor.UserId ?? throw new ForbiddenException("A calendar is connected by the person it belongs to.");
            var connection = await db.Integrations.FirstOrDefaultAsync(i => i.Provider == IntegrationProviders.CalDav && i.Type == IntegrationType.Calendar && i.OwnerUserId == owner, ct);
            if (connection is null)
                db.Integrations.Add(connection = new Integration
                {
                    Provider = IntegrationProviders.CalDav, Type = IntegrationType.Calendar, Name = new ConnectionKind(IntegrationProviders.CalDav, IntegrationType.Calendar).DefaultName,
                    OwnerUserId = owner,
                });
            var settings = CalendarSettings.Parse(connection.CalendarSettings);
            var listed = probe.Calendars.Select((c, i) => c with { Primary = i == 0 }).ToList();
            connection.CalendarSettings = settings.Refreshed(listed).ToJson();
            connection.Auth = IntegrationAuth.AppPassword;
            (connection.IsActive, connection.Status, connection.ErrorMessage, connection.ErrorCount) = (true, ConnectionStatus.Connected, null, 0);
            (connection.AccountName, connection.AccountId, connection.InstanceUrl) = (username, username.ToLowerInvariant(), probe.HomeUrl);
            (connection.ConnectedAt, connection.ConnectedByUserId) = (time.GetUtcNow(), owner);
            await db.SaveChangesAsync(ct);
            id = connection.Id;
        }
        await secrets.SaveAsync(id, new ConnectionSecrets(Password: input.Password), null, ct);
        var view = await ConnectionAccess.ViewAsync(dbFactory, id, ct);
        await schedule.ScheduleAsync(view, ct);
        return view;
    }
}
