using Crm.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Timeline;

/// <param name="Sort">occurredAt, createdAt, updatedAt; "-" for descending (default: -occurredAt).</param>
public sealed record ListActivitiesQuery(
    ActivityType? Type = null,
    long? ContactId = null,
    long? AccountId = null,
    long? DealId = null,
    string? Sort = null,
    int Page = 1,
    int PageSize = Paging.DefaultPageSize);

public sealed class ListActivitiesHandler(ICrmDbFactory dbFactory)
{
    public static readonly string[] SortFields = ["occurredAt", "createdAt", "updatedAt"];

    /// <summary>The list's rows in the list's order: its filters and sort (also what an export of it holds).</summary>
    public static IQueryable<Activity> Query(ICrmDb db, ListActivitiesQuery query)
    {
        var activities = db.Activities.AsNoTracking().OfType(query.Type);
        // A calendar event with no contact, account or deal (logged when a rep logs all meetings) is its owner's alone.
        if (db.Actor.UserId is { } viewer || db.Actor.Source == ChangeSource.Api)
        {
            var me = db.Actor.UserId;
            activities = activities.Where(a => !(a is MeetingActivity) || a.ContactId != null || a.AccountId != null || a.DealId != null || a.OwnerId == me);
        }
        // An email reaches its other contacts, accounts and deals through links.
        if (query.ContactId is { } contactId)
            activities = activities.Where(a => a.ContactId == contactId || db.ActivityLinks.Where(l => l.ContactId == contactId).Select(l => l.ActivityId).Contains(a.Id));
        if (query.AccountId is { } accountId)
            activities = activities.Where(a => a.AccountId == accountId || db.ActivityLinks.Where(l => l.AccountId == accountId).Select(l => l.ActivityId).Contains(a.Id));
        if (query.DealId is { } dealId)
            activities = activities.Where(a => a.DealId == dealId || db.ActivityLinks.Where(l => l.DealId == dealId).Select(l => l.ActivityId).Contains(a.Id));

        var sort = SortSpec.Parse(query.Sort, "occurredAt", defaultDescending: true);
        var ordered = (sort.Field.ToLowerInvariant(), sort.Descending) switch
        {
            ("occurredat", false) => activities.OrderBy(a => a.OccurredAt),
            ("occurredat", true) => activities.OrderByDescending(a => a.OccurredAt),
            ("createdat", false) => activities.OrderBy(a => a.CreatedAt),
            ("createdat", true) => activities.OrderByDescending(a => a.CreatedAt),
            ("updatedat", false) => activities.OrderBy(a => a.UpdatedAt),
            ("updatedat", true) => activities.OrderByDescending(a => a.UpdatedAt),
            _ => throw new ValidationFailedException("Sort", $"Cannot sort by '{sort.Field}'. Use one of: {string.Join(", ", SortFields)}."),
        };
        return sort.Descending ? ordered.ThenByDescending(a => a.Id) : ordered.ThenBy(a => a.Id);
    }

    public async Task<PagedResult<ActivityDto>> HandleAsync(ListActivitiesQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var page = await Query(db, query).ToPageAsync(query.Page, query.PageSize, ct);
        var bodies = await Email.EmailBodyAccess.ForAsync(db, ct);
        return new PagedResult<ActivityDto>(page.Items.Select(a => ActivityDto.Of(bodies.Shown(a))).ToList(), page.Total, page.Page, page.PageSize);
    }
}

public static class ActivityQueries
{
    public static IQueryable<Activity> OfType(this IQueryable<Activity> activities, ActivityType? type) => type switch
    {
        null => activities,
        ActivityType.Note => activities.Where(a => a is NoteActivity),
        ActivityType.Task => activities.Where(a => a is TaskActivity),
        ActivityType.Call => activities.Where(a => a is CallActivity),
        ActivityType.Email => activities.Where(a => a is EmailActivity),
        ActivityType.Meeting => activities.Where(a => a is MeetingActivity),
        _ => throw new ValidationFailedException("Type", "Type must be note, task, call, email or meeting."),
    };
}
