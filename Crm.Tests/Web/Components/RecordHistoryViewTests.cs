using Bunit;
using Crm.Core.Common;
using Crm.Core.Contacts;
using Crm.Core.History;
using Crm.Infrastructure.Persistence;
using Crm.Tests.Infrastructure.Imports;
using Crm.Tests.TestSupport;
using Crm.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Components;

/// <summary>The history tab on a real SQLite file: what a person reads after an import and an edit.</summary>
public sealed class RecordHistoryViewTests : ComponentTestContext, IAsyncLifetime
{
    private CrmTestHost _host = default!;
    private TestWorkspace _ws = default!;

    protected override void AddServices(IServiceCollection services) =>
        services.AddSingleton(_ => new GetRecordHistoryHandler(new AsActor(_host.Database, _ws.Admin())));

    public async ValueTask InitializeAsync()
    {
        _host = await CrmTestHost.StartAsync();
        _ws = await _host.CreateWorkspaceAsync("Acme");
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task AnImportsUpdate_IsListedFieldByField_BesideAnEditByHand()
    {
        var ada = await _host.RunAsync<CreateContactHandler, ContactDetails>(_ws.Admin(), h => h.HandleAsync(new ContactInput { FirstName = "Ada", Email = "ada@example.com", JobTitle = "Analyst" }));
        await _host.ImportAsync(_ws, "Email,Job Title,City\nada@example.com,Countess,London\n");
        var edit = (await _host.RunAsync<GetContactHandler, ContactDetails>(_ws.Admin(), h => h.HandleAsync(ada.Id))).ToInput();
        edit.Phone = "+44 20 7946 0958";
        await _host.RunAsync<UpdateContactHandler, ContactDetails>(_ws.Admin(), h => h.HandleAsync(ada.Id, edit, null));

        var view = Render<RecordHistoryView>(p => p.Add(v => v.RecordType, RecordType.Contact).Add(v => v.RecordId, ada.Id));

        view.WaitForAssertion(() => Assert.Equal(3, view.FindAll("#history-table tbody tr").Count));
        var rows = view.FindAll("#history-table tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(("Phone", "—", "+44 20 7946 0958"), (rows[0][1], rows[0][2], rows[0][3]));
        Assert.Contains("in the app", rows[0][4]);
        // Field labels as people say them, never property names ("JobTitle").
        Assert.Contains(rows.Skip(1), r => r[1] == "Job title" && r[2] == "Analyst" && r[3] == "Countess" && r[4].Contains("by an import"));
        Assert.DoesNotContain(rows, r => r[1] == "JobTitle");
        Assert.Contains(rows.Skip(1), r => r[1] == "City" && r[2] == "—" && r[3] == "London" && r[4].Contains("Admin of Acme"));
    }

    private sealed class AsActor(CrmDatabase database, Actor actor) : ICrmDbFactory
    {
        public Task<ICrmDb> CreateAsync(CancellationToken ct = default) => Task.FromResult<ICrmDb>(database.Create(actor));
    }
}
