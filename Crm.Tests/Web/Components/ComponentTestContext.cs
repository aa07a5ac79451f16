using Bunit;
using Crm.Core.Accounts;
using Crm.Core.Common;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Crm.Tests.Web.Components;

/// <summary>One MudBlazor-ready bUnit context for component tests (xunit v3 disposes it asynchronously).</summary>
public abstract class ComponentTestContext : BunitContext
{
    protected ComponentTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        // WaitFor… gives up after 1 s by default; a component reading a real SQLite file (and EF compiling its first
        // query) on a busy CI machine can take longer.
        DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero)));
        // Pickers resolve their search use cases; these tests never search, so any database use is a test bug.
        Services.AddSingleton<ICrmDbFactory, NoDatabase>();
        Services.AddScoped<ListAccountsHandler>();
        AddServices(Services);
        SetRendererInfo(new RendererInfo("Server", true));
    }

    /// <summary>More services for one class of tests (called from the constructor: nothing it uses is set yet, so defer with factories).</summary>
    protected virtual void AddServices(IServiceCollection services) { }

    /// <summary>Renders the component under a popover provider, as the app's layout does.</summary>
    protected IRenderedComponent<T> RenderWithProviders<T>(Action<ComponentParameterCollectionBuilder<T>> parameters) where T : IComponent
    {
        Render<MudPopoverProvider>();
        return Render(parameters);
    }

    private sealed class NoDatabase : ICrmDbFactory
    {
        public Task<ICrmDb> CreateAsync(CancellationToken ct = default) => throw new InvalidOperationException("Component tests have no database.");
    }
}
