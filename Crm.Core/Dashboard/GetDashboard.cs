using Crm.Core.Common;
using Crm.Core.Duplicates;
using Crm.Core.Integrations.Connections;
using Crm.Core.Timeline;
using Microsoft.EntityFrameworkCore;

namespace Crm.Core.Dashboard;

public sealed record DashboardDeal(long Id, string Name, decimal? Amount, string Currency, string Stage, DateOnly? CloseDate);
public sealed record DashboardTask(long Id, string Title, DateTimeOffset? DueAt, bool Overdue, long? ContactId, string? ContactName, long? DealId);
public sealed record DashboardMeeting(long Id, string Title, DateTimeOffset StartTime, long? ContactId, string? ContactName);
public sealed record DashboardActivity(long Id, ActivityType Type, string Summary, DateTimeOffset OccurredAt, long ContactId, string ContactName);

/// <summary>A stage of the default pipeline: its open deals, their total and their total weighted by each deal's probability.</summary>
public sealed record StageValue(long StageId, string Stage, int Deals, decimal Total, decimal Weighted);
public sealed record MonthWon(DateOnly Month, int Deals, decimal Amount);
public sealed record WeekBySource(DateOnly WeekStart, string Source, int Contacts);
public sealed record RecentJob(long Id, string FileName, string Status, DateTimeOffset At);
public sealed record ConnectionLine(long Id, string Provider, string? Account, ConnectionStatus Status, DateTimeOffset? LastSyncAt, int Failing);

/// <param name="OtherCurrencyDeals">Open deals in another currency than the workspace's: not in the totals, counted here.</param>
public sealed record AdminDashboard(string Currency, long? PipelineId, IReadOnlyList<StageValue> Pipeline, decimal PipelineTotal, decimal Forecast, int OtherCurrencyDeals,
    IReadOnlyList<MonthWon> WonPerMonth, IReadOnlyList<WeekBySource> ContactsPerWeek, IReadOnlyList<RecentJob> Imports, IReadOnlyList<RecentJob> Exports,
    int DuplicatePairs, IReadOnlyList<ConnectionLine> Connections);

/// <summary>What the home page shows: the signed-in user's own work, and for an admin the workspace's numbers.</summary>
public sealed record DashboardView(int MyOpenDeals, IReadOnlyList<DashboardDeal> MyDeals, IReadOnlyList<DashboardTask> MyTasks, IReadOnlyList<DashboardMeeting> Upcoming,
    IReadOnlyList<DashboardActivity> Recent, AdminDashboard? Admin);

/// <summary>
/// The home page: for everyone, their open deals (closing soonest first), their open tasks due within a week (overdue
/// first), their meetings of the next two weeks and the latest activity on contacts they own; for an admin also the
/// default pipeline's value by stage and its weighted forecast, deals won per month (12 months), contacts created per
/// week by source (8 weeks), the last imports and exports, the duplicate queue's size and each connection's health.
/// Everything is the caller's workspace's; lists are short and each links to the full list behind it.
/// </summary>
public sealed class GetDashboardHandler(ICrmDbFactory dbFactory, TimeProvider time)
{
    public const int ListSize = 8;

    public async Task<DashboardView> HandleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var me = db.Actor.UserId;
        var now = time.GetUtcNow();

        var open = db.Deals.AsNoTracking().Where(d => d.OwnerId == me && d.Stage != null && !d.Stage.IsWon && !d.Stage.IsLost);
        var myOpen = await open.CountAsync(ct);
        var myDeals = (await open.Select(d => new { d.Id, d.Name, d.Amount, d.Currency, Stage = d.Stage!.Name, d.CloseDate }).ToListAsync(ct))
            .OrderBy(d => d.CloseDate ?? DateOnly.MaxValue).ThenBy(d => d.Id).Take(ListSize)
            .Select(d => new DashboardDeal(d.Id, d.Name, d.Amount, d.Currency, d.Stage, d.CloseDate)).ToList();

        var weekAhead = now.AddDays(7);
        var tasks = (await db.Activities.AsNoTracking().OfType<TaskActivity>()
                .Where(t => t.OwnerId == me && !t.IsDone && t.DueAt != null)
                .Select(t => new { t.Id, t.Title, t.DueAt, t.ContactId, Contact = t.Contact == null ? null : (t.Contact.FirstName + " " + t.Contact.LastName).Trim(), t.DealId })
                .ToListAsync(ct))
            .Where(t => t.DueAt <= weekAhead).OrderBy(t => t.DueAt).Take(ListSize)
            .Select(t => new DashboardTask(t.Id, t.Title, t.DueAt, t.DueAt < now, t.ContactId, Blank(t.Contact), t.DealId)).ToList();

        var twoWeeks = now.AddDays(14);
        var meetings = (await db.Activities.AsNoTracking().OfType<MeetingActivity>()
                .Where(m => m.OwnerId == me)
                .Select(m => new { m.Id, m.Title, m.StartTime, m.ContactId, Contact = m.Contact == null ? null : (m.Contact.FirstName + " " + m.Contact.LastName).Trim() })
                .ToListAsync(ct))
            .Where(m => m.StartTime >= now && m.StartTime <= twoWeeks).OrderBy(m => m.StartTime).Take(ListSize)
            .Select(m => new DashboardMeeting(m.Id, m.Title, m.StartTime, m.ContactId, Blank(m.Contact))).ToList();

        var recent = (await db.Activities.AsNoTracking()
                .Where(a => a.ContactId != null && a.Contact!.OwnerId == me)
                .OrderByDescending(a => a.Id).Take(50)
                .Select(a => new { Activity = a, Contact = (a.Contact!.FirstName + " " + a.Contact.LastName).Trim(), Email = a.Contact.Email })
                .ToListAsync(ct))
            .OrderByDescending(a => a.Activity.OccurredAt).Take(ListSize)
            .Select(a => new DashboardActivity(a.Activity.Id, a.Activity.Type, Summary(a.Activity), a.Activity.OccurredAt, a.Activity.ContactId!.Value,
                Blank(a.Contact) ?? a.Email ?? $"Contact {a.Activity.ContactId}")).ToList();

        var admin = db.Actor.IsAdmin ? await AdminAsync(db, now, ct) : null;
        return new DashboardView(myOpen, myDeals, tasks, meetings, recent, admin);
    }

    private static async Task<AdminDashboard> AdminAsync(ICrmDb db, DateTimeOffset now, CancellationToken ct)
    {
        var currency = await db.Workspaces.Select(w => w.DefaultCurrency).FirstAsync(ct);
        var pipeline = await db.Pipelines.AsNoTracking().Include(p => p.Stages).OrderByDescending(p => p.IsDefault).ThenBy(p => p.Id).FirstOrDefaultAsync(ct);
        var stages = new List<StageValue>();
        var others = 0;
        if (pipeline is not null)
        {
            var deals = await db.Deals.AsNoTracking().Where(d => d.PipelineId == pipeline.Id && !d.Stage!.IsWon && !d.Stage.IsLost)
                .Select(d => new { d.StageId, d.Amount, d.Currency, d.Probability }).ToListAsync(ct);
            others = deals.Count(d => d.Currency != currency);
            foreach (var stage in pipeline.Stages.Where(s => !s.IsClosed).OrderBy(s => s.Order))
            {
                var inStage = deals.Where(d => d.StageId == stage.Id && d.Currency == currency).ToList();
                stages.Add(new StageValue(stage.Id, stage.Name, inStage.Count, inStage.Sum(d => d.Amount ?? 0),
                    Math.Round(inStage.Sum(d => (d.Amount ?? 0) * d.Probability / 100m), 2)));
            }
        }

        // Won per month: deals in a won stage by their close date (or, without one, when they were last changed).
        var firstMonth = new DateOnly(now.Year, now.Month, 1).AddMonths(-11);
        var won = await db.Deals.AsNoTracking().Where(d => d.Stage!.IsWon && d.Currency == currency)
            .Select(d => new { d.CloseDate, d.UpdatedAt, d.Amount }).ToListAsync(ct);
        var wonPerMonth = Enumerable.Range(0, 12).Select(i => firstMonth.AddMonths(i)).Select(month =>
        {
            var inMonth = won.Where(d => MonthOf(d.CloseDate ?? DateOnly.FromDateTime(d.UpdatedAt.UtcDateTime)) == month).ToList();
            return new MonthWon(month, inMonth.Count, inMonth.Sum(d => d.Amount ?? 0));
        }).ToList();

        // Contacts created per week (weeks start on Monday, UTC) by source, for the last 8 weeks.
        var thisWeek = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-(((int)now.UtcDateTime.DayOfWeek + 6) % 7));
        var since = new DateTimeOffset(thisWeek.AddDays(-7 * 7).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var created = await db.Contacts.AsNoTracking().Where(c => c.CreatedAt >= since).Select(c => new { c.CreatedAt, c.Source }).ToListAsync(ct);
        var perWeek = created.GroupBy(c => (Week: WeekOf(c.CreatedAt), Source: string.IsNullOrWhiteSpace(c.Source) ? "(no source)" : c.Source!))
            .Select(g => new WeekBySource(g.Key.Week, g.Key.Source, g.Count())).OrderBy(w => w.WeekStart).ThenBy(w => w.Source).ToList();

        var imports = await db.ImportJobs.AsNoTracking().OrderByDescending(j => j.Id).Take(5)
            .Select(j => new RecentJob(j.Id, j.FileName, j.Status.ToString(), j.CompletedAt ?? j.CreatedAt)).ToListAsync(ct);
        var exports = await db.ExportJobs.AsNoTracking().OrderByDescending(j => j.Id).Take(5)
            .Select(j => new RecentJob(j.Id, j.FileName, j.Status.ToString(), j.CompletedAt ?? j.CreatedAt)).ToListAsync(ct);
        var duplicates = await db.DuplicateCandidates.CountAsync(d => d.Status == DuplicateStatus.Open, ct);
        var connections = await db.Integrations.AsNoTracking().Where(i => i.Status != ConnectionStatus.Disconnected)
            .OrderBy(i => i.Provider).ThenBy(i => i.Id)
            .Select(i => new ConnectionLine(i.Id, i.Provider, i.AccountName, i.Status, i.LastSyncAt,
                db.SyncRecords.Count(l => l.IntegrationId == i.Id && l.Status == Integrations.SyncRecordStatus.Failing)))
            .ToListAsync(ct);
        return new AdminDashboard(currency, pipeline?.Id, stages, stages.Sum(s => s.Total), stages.Sum(s => s.Weighted), others, wonPerMonth, perWeek, imports, exports,
            duplicates, connections);

        static DateOnly MonthOf(DateOnly day) => new(day.Year, day.Month, 1);
        static DateOnly WeekOf(DateTimeOffset at)
        {
            var day = DateOnly.FromDateTime(at.UtcDateTime);
            return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>One line about an activity, as a timeline would name it.</summary>
    private static string Summary(Activity activity) => activity switch
    {
        NoteActivity n => Clip(n.Body),
        TaskActivity t => "Task: " + Clip(t.Title),
        CallActivity c => $"Call ({c.Outcome.ToString().ToLowerInvariant()})" + (string.IsNullOrWhiteSpace(c.Notes) ? "" : ": " + Clip(c.Notes)),
        EmailActivity e => "Email: " + Clip(e.Subject),
        MeetingActivity m => "Meeting: " + Clip(m.Title),
        _ => activity.Type.ToString(),
    };

    private static string Clip(string? text)
    {
        var line = (text ?? "").ReplaceLineEndings(" ").Trim();
        return line.Length > 120 ? line[..119] + "…" : line;
    }
}
