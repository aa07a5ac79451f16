using Crm.Core.Common;
using Crm.Core.Email;
using Crm.Core.Users;
using Crm.Tests.TestSupport;

namespace Crm.Tests.Infrastructure.Email;

/// <summary>Email templates on a real SQLite file: one's own and shared ones, who may change which, merge fields checked, workspaces apart.</summary>
public class EmailTemplatesTests : WorkspaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Actor> RepAsync(string email)
    {
        await using var db = Host.Database.Create(Ws.Admin());
        var rep = new User { Email = email, Name = email.Split('@')[0], Role = UserRole.Rep, IsActive = true };
        db.CrmUsers.Add(rep);
        await db.SaveChangesAsync(Ct);
        return new Actor(Ws.Id, rep.Id, UserRole.Rep, ChangeSource.User);
    }

    private Task<EmailTemplateDto> CreateAsync(Actor actor, EmailTemplateInput input) =>
        Host.RunAsync<SaveEmailTemplateHandler, EmailTemplateDto>(actor, h => h.CreateAsync(input, Ct));

    private Task<IReadOnlyList<EmailTemplateDto>> ListAsync(Actor actor) =>
        Host.RunAsync<ListEmailTemplatesHandler, IReadOnlyList<EmailTemplateDto>>(actor, h => h.HandleAsync(Ct));

    [Fact]
    public async Task ARep_SeesSharedTemplatesAndTheirOwn_NeverATeammates_AndChangesOnlyTheirOwn()
    {
        var riley = await RepAsync("riley@acme.example");
        var sam = await RepAsync("sam@acme.example");
        var shared = await CreateAsync(Ws.Admin(), new EmailTemplateInput("Intro", "Hello {{first_name}}", "Hi {{first_name}},\n\nGreat to meet you.", Shared: true));
        var rileys = await CreateAsync(riley, new EmailTemplateInput("Follow-up", "Following up", "Hi {{first_name}}, any news?"));
        await CreateAsync(sam, new EmailTemplateInput("Sam's", "Hey", "Hey there"));

        var seen = await ListAsync(riley);

        Assert.Equal(["Follow-up", "Intro"], seen.Select(t => t.Name));
        Assert.Equal([true, false], seen.Select(t => t.CanEdit));
        Assert.True(seen.Single(t => t.Name == "Intro").Shared);
        // A shared template is an admin's to change; a teammate's own is not even there.
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<SaveEmailTemplateHandler, EmailTemplateDto>(riley,
            h => h.UpdateAsync(shared.Id, new EmailTemplateInput("Intro", "Changed", "Changed"), Ct)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<DeleteEmailTemplateHandler>(riley, h => h.HandleAsync(shared.Id, Ct)));
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<DeleteEmailTemplateHandler>(sam, h => h.HandleAsync(rileys.Id, Ct)));
        // Nor may a rep share their own.
        await Assert.ThrowsAsync<ForbiddenException>(() => CreateAsync(riley, new EmailTemplateInput("Mine to all", "Hi", "Hi", Shared: true)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Host.RunAsync<SaveEmailTemplateHandler, EmailTemplateDto>(riley,
            h => h.UpdateAsync(rileys.Id, new EmailTemplateInput("Follow-up", "Following up", "Hi", Shared: true), Ct)));

        var changed = await Host.RunAsync<SaveEmailTemplateHandler, EmailTemplateDto>(riley,
            h => h.UpdateAsync(rileys.Id, new EmailTemplateInput("Follow-up", "Still there, {{first_name}}?", "Hi again"), Ct));
        Assert.Equal("Still there, {{first_name}}?", changed.Subject);
        await Host.RunAsync<DeleteEmailTemplateHandler>(Ws.Admin(), h => h.HandleAsync(shared.Id, Ct));
        Assert.Equal(["Follow-up"], (await ListAsync(riley)).Select(t => t.Name));
    }

    [Fact]
    public async Task ATemplate_NeedsANameASubjectAndABody_WithKnownMergeFields_AndANameOnlyOnce()
    {
        var riley = await RepAsync("riley@acme.example");
        await CreateAsync(riley, new EmailTemplateInput("Intro", "Hello", "Hi"));

        async Task<string> RefusedAsync(EmailTemplateInput input) =>
            string.Join(" ", (await Assert.ThrowsAsync<ValidationFailedException>(() => CreateAsync(riley, input))).Errors.SelectMany(e => e.Value));

        Assert.Contains("Name the template", await RefusedAsync(new EmailTemplateInput(" ", "Hello", "Hi")), StringComparison.Ordinal);
        Assert.Contains("subject", await RefusedAsync(new EmailTemplateInput("A", "", "Hi")), StringComparison.Ordinal);
        Assert.Contains("Write the email", await RefusedAsync(new EmailTemplateInput("A", "Hello", "  ")), StringComparison.Ordinal);
        Assert.Contains("{{nickname}}", await RefusedAsync(new EmailTemplateInput("A", "Hello", "Hi {{nickname}}")), StringComparison.Ordinal);
        Assert.Contains("{{title}}", await RefusedAsync(new EmailTemplateInput("A", "About {{title}}", "Hi")), StringComparison.Ordinal);
        Assert.Contains("already have a template named", await RefusedAsync(new EmailTemplateInput("intro", "Hello", "Hi")), StringComparison.Ordinal);
        Assert.Contains("at most", await RefusedAsync(new EmailTemplateInput(new string('n', EmailTemplate.NameChars + 1), "Hello", "Hi")), StringComparison.Ordinal);
        // The same name as someone else's, or as a shared one, is fine.
        await CreateAsync(Ws.Admin(), new EmailTemplateInput("Intro", "Hello", "Hi", Shared: true));
        Assert.Equal(2, (await ListAsync(riley)).Count);
    }

    [Fact]
    public async Task AnotherWorkspace_NeitherSeesNorChangesTheseTemplates()
    {
        var shared = await CreateAsync(Ws.Admin(), new EmailTemplateInput("Intro", "Hello", "Hi", Shared: true));
        var other = await Host.CreateWorkspaceAsync("Other");

        Assert.Empty(await ListAsync(other.Admin()));
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<SaveEmailTemplateHandler, EmailTemplateDto>(other.Admin(),
            h => h.UpdateAsync(shared.Id, new EmailTemplateInput("Mine", "Hello", "Hi", Shared: true), Ct)));
        await Assert.ThrowsAsync<NotFoundException>(() => Host.RunAsync<DeleteEmailTemplateHandler>(other.Admin(), h => h.HandleAsync(shared.Id, Ct)));
    }
}
