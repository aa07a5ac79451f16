using Bunit;
using Crm.Core.Common;
using Crm.Core.Email;
using Crm.Core.Users;
using Crm.Infrastructure.Persistence;
using Crm.Tests.TestSupport;
using Crm.Web.Components.Pages.Email;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tests.Web.Components;

/// <summary>The email templates page on a real SQLite file, as a rep uses it: nothing yet, save one, see it, a shared one read-only.</summary>
public sealed class EmailTemplatesPageTests : ComponentTestContext, IAsyncLifetime
{
    private CrmTestHost _host = default!;
    private TestWorkspace _ws = default!;
    private Actor _rep = default!;

    protected override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<ICrmDbFactory>(_ => new AsActor(_host.Database, _rep));
        services.AddSingleton<ICurrentActor>(_ => new Fixed(_rep));
        services.AddScoped<ListEmailTemplatesHandler>();
        services.AddScoped<SaveEmailTemplateHandler>();
        services.AddScoped<DeleteEmailTemplateHandler>();
    }

    public async ValueTask InitializeAsync()
    {
        _host = await CrmTestHost.StartAsync();
        _ws = await _host.CreateWorkspaceAsync("Acme");
        await using var db = _host.Database.Create(_ws.Admin());
        var rep = new User { Email = "riley@acme.example", Name = "Riley", Role = UserRole.Rep, IsActive = true };
        db.CrmUsers.Add(rep);
        await db.SaveChangesAsync();
        _rep = new Actor(_ws.Id, rep.Id, UserRole.Rep, ChangeSource.User);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task ARep_SavesATemplate_AndSeesItBesideASharedOne_ThatTheyCannotChange()
    {
        await _host.RunAsync<SaveEmailTemplateHandler, EmailTemplateDto>(_ws.Admin(), h => h.CreateAsync(new EmailTemplateInput("Intro", "Hello", "Hi {{first_name}}", Shared: true)));
        Render<MudBlazor.MudPopoverProvider>();
        var page = Render<EmailTemplatesPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#templates-table tbody tr")));
        // A rep is not offered sharing, nor a shared template's Edit and Delete.
        Assert.Empty(page.FindAll("#template-shared"));
        Assert.Empty(page.FindAll("#templates-table tbody tr button"));

        page.Find("#template-name").Input("Follow-up");
        page.Find("#template-subject").Input("Any news, {{first_name}}?");
        page.Find("#template-body").Input("Hi {{first_name}}, checking in.");
        await page.Find("#template-form").SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#templates-table tbody tr").Count));
        var rows = page.FindAll("#templates-table tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(("Follow-up", "Any news, {{first_name}}?", "You"), (rows[0][0], rows[0][1], rows[0][2]));
        Assert.Equal(("Intro", "The workspace"), (rows[1][0], rows[1][2]));
        Assert.Equal(2, page.FindAll("#templates-table tbody tr")[0].QuerySelectorAll("button").Length);
    }

    private sealed class AsActor(CrmDatabase database, Actor actor) : ICrmDbFactory
    {
        public Task<ICrmDb> CreateAsync(CancellationToken ct = default) => Task.FromResult<ICrmDb>(database.Create(actor));
    }

    private sealed class Fixed(Actor actor) : ICurrentActor
    {
        public ValueTask<Actor> GetAsync(CancellationToken ct = default) => ValueTask.FromResult(actor);
    }
}
