namespace Crm.Tests.TestSupport;

/// <summary>Tests that need one workspace (with its admin and default pipeline) on a fresh SQLite file.</summary>
public abstract class WorkspaceTests : IAsyncLifetime
{
    protected CrmTestHost Host { get; private set; } = default!;
    protected TestWorkspace Ws { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        Host = await CrmTestHost.StartAsync();
        Ws = await Host.CreateWorkspaceAsync("Acme");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
