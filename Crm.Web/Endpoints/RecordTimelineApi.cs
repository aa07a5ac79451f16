using Crm.Core.Common;
using Crm.Core.History;
using Crm.Core.Timeline;

namespace Crm.Web.Endpoints;

/// <summary>
/// What a record page shows beside its fields: the timeline (activities, emails and meetings linked to it, newest
/// first, paged by a cursor) and the history of its changes (who changed which field, from what, to what).
/// </summary>
public static class RecordTimelineApi
{
    // Properties rather than a positional record: the request delegate generator cannot bind nullable constructor parameters.
    public sealed record TimelineParameters { public string? Type { get; init; } public DateTimeOffset? AfterTime { get; init; } public long? AfterId { get; init; } public int? PageSize { get; init; } }

    /// <summary>
    /// One timeline entry: the activity as the activities API gives it, with the names shown beside it. An email whose
    /// body the caller may not read (it was in someone else's mailbox) has bodyHidden and no body; subject and
    /// participants stay.
    /// </summary>
    public sealed record TimelineItem(ActivityDto Activity, string? ContactName, string? DealName, string? OwnerName, bool BodyHidden,
        IReadOnlyList<Crm.Core.Email.EmailAttachmentInfo> Attachments);

    /// <param name="Next">The next page's afterTime and afterId; null on the last page.</param>
    public sealed record TimelineAnswer(IReadOnlyList<TimelineItem> Entries, TimelineCursor? Next);

    private static TimelineAnswer Answer(TimelinePage page) => new(
        page.Entries.Select(e =>
        {
            var activity = ActivityDto.Of(e.Activity);
            return new TimelineItem(e.BodyHidden ? activity with { Body = null } : activity, e.ContactName, e.DealName, e.OwnerName, e.BodyHidden, e.Attachments ?? []);
        }).ToList(),
        page.Next);

    public static RouteGroupBuilder MapRecordTimelineApi(this RouteGroupBuilder api)
    {
        foreach (var (area, type, tag) in new[] { ("contacts", RecordType.Contact, "Contacts"), ("accounts", RecordType.Account, "Accounts"), ("deals", RecordType.Deal, "Deals") })
        {
            var name = type.ToString();
            api.MapGet($"/{area}/{{id:long}}/timeline", async (long id, [AsParameters] TimelineParameters p, GetTimelineHandler handler, CancellationToken ct) =>
                {
                    if (p.AfterTime.HasValue != p.AfterId.HasValue)
                        throw new ValidationFailedException("afterTime", "Page on with both afterTime and afterId, as the previous page's 'next' gives them.");
                    var after = p.AfterTime is { } time ? new TimelineCursor(time, p.AfterId!.Value) : null;
                    return TypedResults.Ok(Answer(await handler.HandleAsync(type, id, after, p.PageSize ?? GetTimelineHandler.DefaultPageSize,
                        ApiEnums.Parse<ActivityType>(p.Type, "type"), ct)));
                })
                .WithTags(tag).WithName($"Get{name}Timeline")
                .WithSummary($"The {name.ToLowerInvariant()}'s timeline, newest first: notes, tasks, calls, emails and meetings linked to it" +
                             (type == RecordType.Account ? " and to its contacts and deals" : ""))
                .WithDescription("Filter by type; the answer's 'next' (occurredAt, id) is the next page's afterTime and afterId; at most 100 a page.");
            api.MapGet($"/{area}/{{id:long}}/history", async (long id, int? page, int? pageSize, GetRecordHistoryHandler handler, CancellationToken ct) =>
                    TypedResults.Ok(await handler.HandleAsync(type, id, page ?? 1, pageSize ?? 50, ct)))
                .WithTags(tag).WithName($"Get{name}History")
                .WithSummary($"The {name.ToLowerInvariant()}'s changes, newest first: each field from what to what, by whom and from where (app, API, import, sync)");
        }
        return api;
    }
}
