using Crm.Core.Common;
using Crm.Core.Deals;
using Crm.Core.Users;
using Crm.Core.Workspaces;
using Crm.Infrastructure.Persistence;

namespace Crm.Infrastructure.Seeding;

/// <summary>Creates a workspace ready to use: a default sales pipeline and its first admin.</summary>
public sealed class WorkspaceProvisioner(CrmDatabase database, ILocalAccounts accounts)
{
    public async Task<(Workspace Workspace, User Admin)> CreateAsync(string workspaceName, string adminName, string adminEmail, string? adminPassword, CancellationToken ct = default)
    {
        var email = Text.CleanEmail(adminEmail) ?? throw new ArgumentException("An admin email is required.", nameof(adminEmail));
        if (adminPassword is not null)
        {
            var problems = await accounts.CheckPasswordAsync(adminPassword, ct);
            if (problems.Count > 0) throw new ValidationFailedException(new Dictionary<string, string[]> { ["Password"] = [.. problems] });
        }

        Workspace workspace;
        await using (var system = database.Create(Actor.Anonymous))
        {
            workspace = new Workspace { Name = workspaceName };
            system.Workspaces.Add(workspace);
            await system.SaveChangesAsync(ct);
        }

        await using var db = database.Create(Actor.System(workspace.Id));
        var admin = new User { Name = adminName, Email = email, Role = UserRole.Admin, IsActive = true };
        db.CrmUsers.Add(admin);
        db.Pipelines.Add(DefaultPipeline());
        await db.SaveChangesAsync(ct);
        if (adminPassword is not null) await accounts.SetPasswordAsync(admin, adminPassword, ct: ct);
        return (workspace, admin);
    }

    public static Pipeline DefaultPipeline() => new()
    {
        Name = "Sales pipeline",
        IsDefault = true,
        Stages =
        [
            new PipelineStage { Name = "Qualification", Order = 0, Probability = 10 },
            new PipelineStage { Name = "Discovery", Order = 1, Probability = 20 },
            new PipelineStage { Name = "Proposal", Order = 2, Probability = 50 },
            new PipelineStage { Name = "Negotiation", Order = 3, Probability = 75 },
            new PipelineStage { Name = "Closed won", Order = 4, Probability = 100, IsWon = true },
            new PipelineStage { Name = "Closed lost", Order = 5, Probability = 0, IsLost = true },
        ],
    };
}
