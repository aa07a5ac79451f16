using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.Dashboard;
using Crm.Core.Deals;
using Crm.Core.Timeline;
using Crm.Core.Users;
using Crm.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tests.Infrastructure.Dashboard;

/// <summary>The home page's figures on a real SQLite file: a rep's own work, an admin's workspace numbers, never another workspace's.</summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private CrmTestHost _host = default!;
    private TestWorkspace _mine = default!;
    private TestWorkspace _theirs = default!;

    public async ValueTask InitializeAsync()
    {
        _host = await CrmTestHost.StartAsync();
        _mine = await _host.CreateWorkspaceAsync("Mine");
        _theirs = await _host.CreateWorkspaceAsync("Theirs");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A rep with a contact, an open deal (1,000 at 50%), a won deal (300 this month), tasks, a meeting and a note.</summary>
    private async Task<long> SeedAsync(TestWorkspace workspace, decimal open, decimal won)
    {
        var now = _host.Time.GetUtcNow();
        await using var db = _host.Database.Create(workspace.Admin());
        var rep = new User { Email = $"rep{workspace.Id}@example.com", Name = "Rita Rep", Role = UserRole.Rep, IsActive = true };
        db.CrmUsers.Add(rep);
        await db.SaveChangesAsync(Ct);
        var contact = new Contact { FirstName = "Carla", LastName = "Client", Email = $"carla{workspace.Id}@example.com", OwnerId = rep.Id, Source = "Referral" };
        db.Contacts.Add(contact);
        var stages = await db.PipelineStages.ToListAsync(Ct);
        var proposal = stages.Single(s => s.Name == "Proposal");
        var closedWon = stages.Single(s => s.IsWon);
        db.Deals.AddRange(
            new Deal { Name = "Open one", Amount = open, Currency = "USD", PipelineId = proposal.PipelineId, StageId = proposal.Id, Probability = 50, OwnerId = rep.Id, CloseDate = DateOnly.FromDateTime(now.UtcDateTime).AddDays(20) },
            new Deal { Name = "Won one", Amount = won, Currency = "USD", PipelineId = closedWon.PipelineId, StageId = closedWon.Id, Probability = 100, OwnerId = rep.Id, CloseDate = DateOnly.FromDateTime(now.UtcDateTime) });
        await db.SaveChangesAsync(Ct);
        db.Activities.AddRange(
            new TaskActivity { Title = "Call back", ContactId = contact.Id, OwnerId = rep.Id, DueAt = now.AddDays(1), OccurredAt = now },
            new TaskActivity { Title = "Was due", ContactId = contact.Id, OwnerId = rep.Id, DueAt = now.AddDays(-2), OccurredAt = now.AddDays(-3) },
            new TaskActivity { Title = "Next month", ContactId = contact.Id, OwnerId = rep.Id, DueAt = now.AddDays(30), OccurredAt = now },
            new TaskActivity { Title = "Done already", ContactId = contact.Id, OwnerId = rep.Id, DueAt = now.AddDays(1), IsDone = true, OccurredAt = now },
            new MeetingActivity { Title = "Demo", ContactId = contact.Id, OwnerId = rep.Id, StartTime = now.AddDays(3), EndTime = now.AddDays(3).AddHours(1), OccurredAt = now.AddDays(3) },
            new NoteActivity { Body = "Wants a discount", ContactId = contact.Id, OwnerId = rep.Id, OccurredAt = now.AddHours(-1) });
        await db.SaveChangesAsync(Ct);
        return rep.Id;
    }

    [Fact]
    public async Task ARep_SeesTheirOwnDealsTasksMeetingsAndActivity_AnAdminTheWorkspacesNumbers_AndNothingOfAnotherWorkspace()
    {
        var rep = await SeedAsync(_mine, open: 1000, won: 300);
        await SeedAsync(_theirs, open: 99_999, won: 88_888);

        var mine = await _host.RunAsync<GetDashboardHandler, DashboardView>(new Actor(_mine.Id, rep, UserRole.Rep, ChangeSource.User), h => h.HandleAsync(Ct));
        Assert.Equal(1, mine.MyOpenDeals);
        Assert.Equal(["Open one"], mine.MyDeals.Select(d => d.Name));
        // Due within a week and not done, the overdue one first.
        Assert.Equal([("Was due", true), ("Call back", false)], mine.MyTasks.Select(t => (t.Title, t.Overdue)));
        Assert.Equal("Carla Client", mine.MyTasks[0].ContactName);
        Assert.Equal(["Demo"], mine.Upcoming.Select(m => m.Title));
        Assert.Contains(mine.Recent, a => a.Summary == "Wants a discount" && a.ContactName == "Carla Client");
        Assert.Null(mine.Admin);

        var admin = (await _host.RunAsync<GetDashboardHandler, DashboardView>(_mine.Admin(), h => h.HandleAsync(Ct))).Admin!;
        var proposal = admin.Pipeline.Single(s => s.Stage == "Proposal");
        Assert.Equal((1, 1000m, 500m), (proposal.Deals, proposal.Total, proposal.Weighted));
        Assert.Equal((1000m, 500m, 0), (admin.PipelineTotal, admin.Forecast, admin.OtherCurrencyDeals));
        Assert.DoesNotContain(admin.Pipeline, s => s.Stage.StartsWith("Closed", StringComparison.Ordinal));
        var thisMonth = admin.WonPerMonth[^1];
        Assert.Equal((12, 1, 300m), (admin.WonPerMonth.Count, thisMonth.Deals, thisMonth.Amount));
        Assert.Equal(1, admin.ContactsPerWeek.Where(w => w.Source == "Referral").Sum(w => w.Contacts));
        Assert.Equal(0, admin.DuplicatePairs);
        Assert.Empty(admin.Connections);
    }
}
