using Crm.Core.Calendar;
using Crm.Core.Common;

namespace Crm.Web.Endpoints;

/// <summary>
/// Meetings: scheduled from the CRM (and out to the rep's calendar), rescheduled, cancelled; the outcome and the deal of
/// any meeting; a record's upcoming meetings; a calendar connection's calendars and settings (its owner or an admin).
/// </summary>
public static class MeetingsApi
{
    public static RouteGroupBuilder MapMeetingsApi(this RouteGroupBuilder api)
    {
        var meetings = api.MapGroup("/meetings").WithTags("Meetings");
        meetings.MapPost("", async (ScheduleMeetingInput input, ScheduleMeetingHandler handler, CancellationToken ct) =>
            {
                var scheduled = await handler.HandleAsync(input, ct);
                return TypedResults.Created($"/api/v1/activities/{scheduled.Meeting.Id}", scheduled);
            })
            .WithName("ScheduleMeeting")
            .WithSummary("Schedule a meeting with contacts {\"title\",\"startTime\",\"endTime\",\"timeZone\",\"contactIds\",\"dealId\"}; created in your calendar when it sends meetings out ('calendar' says where, or why not)");
        meetings.MapPatch("/{id:long}", async (long id, RescheduleMeetingInput input, HttpContext context, RescheduleMeetingHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, input, ETags.IfMatch(context.Request), ct)))
            .WithName("RescheduleMeeting").WithSummary("Change a meeting made in the CRM (title, place, time); the change goes to the calendar it was placed in");
        meetings.MapPost("/{id:long}/cancel", async (long id, CancelMeetingHandler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(id, ct)))
            .WithName("CancelMeeting").WithSummary("Call off a meeting made in the CRM; its calendar event is cancelled and the attendees told");
        meetings.MapPut("/{id:long}/outcome", async (long id, MeetingOutcomeInput input, SetMeetingOutcomeHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, input, ct)))
            .WithName("SetMeetingOutcome").WithSummary("How it went {\"outcome\": completed | noShow | rescheduled | cancelled, \"notes\"} (completed and no show once it has started)");
        meetings.MapPut("/{id:long}/deal", async (long id, MeetingDealInput input, SetMeetingDealHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, input.DealId, ct)))
            .WithName("SetMeetingDeal").WithSummary("The deal the meeting is about {\"dealId\"} (null: none)");
        meetings.MapGet("/upcoming", async (string recordType, long recordId, int? take, ListUpcomingMeetingsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(RecordOf(recordType), recordId, take ?? 5, ct)))
            .WithName("ListUpcomingMeetings").WithSummary("A contact's, account's or deal's meetings still to come, soonest first (?recordType=contact&recordId=…)");

        api.MapPost("/integrations/caldav", async (CalDavConnectInput input, ConnectCalDavHandler handler, CancellationToken ct) =>
            {
                var connection = await handler.HandleAsync(input, ct);
                return TypedResults.Created($"/api/v1/integrations/{connection.Id}", connection);
            })
            .WithTags("Integrations").WithName("ConnectCalDav")
            .WithSummary("Connect your Apple (iCloud) or other CalDAV calendar {\"serverUrl\",\"username\",\"password\"} with an app-specific password; tried before it is saved, stored encrypted");

        var calendars = api.MapGroup("/integrations/{id:long}/calendars").WithTags("Integrations");
        calendars.MapGet("", async (long id, bool? refresh, GetCalendarSettingsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, refresh ?? false, ct)))
            .WithName("GetCalendarSettings").WithSummary("A calendar connection's calendars (?refresh=true lists them at the provider again) and settings");
        calendars.MapPut("", async (long id, CalendarSettingsInput input, SaveCalendarSettingsHandler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(id, input, ct)))
            .WithName("SaveCalendarSettings").WithSummary("The calendars to read {\"calendarIds\"}, meetings with contacts only, the calendar CRM meetings go to, and the direction");
        return api;
    }

    private static RecordType RecordOf(string value) => ApiEnums.Parse<RecordType>(value, "recordType") switch
    {
        RecordType.Contact => RecordType.Contact,
        RecordType.Account => RecordType.Account,
        RecordType.Deal => RecordType.Deal,
        _ => throw new ValidationFailedException("recordType", "Use contact, account or deal."),
    };
}

public sealed record MeetingDealInput(long? DealId);
