using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Crm.Core;

public static class DependencyInjection
{
    /// <summary>Registers every use case handler (classes named *Handler) of this assembly as scoped.</summary>
    public static IServiceCollection AddCrmCore(this IServiceCollection services)
    {
        var handlers = typeof(DependencyInjection).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && t.Name.EndsWith("Handler", StringComparison.Ordinal));
        foreach (var handler in handlers) services.AddScoped(handler);
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<Common.ExplicitActor>();
        services.AddSingleton<Common.DatabaseRetry>();
        services.AddScoped<Imports.ImportPlanner>();
        services.AddScoped<Imports.ImportContextLoader>();
        services.AddScoped<Imports.ImportRunner>();
        services.AddScoped<Imports.RollbackRunner>();
        services.AddScoped<Exports.ExportRunner>();
        services.AddScoped<Duplicates.DuplicateScanner>();
        services.AddScoped<Calendar.MeetingCalendarWriter>();
        // One handler per kind of run; the executor picks it by the run's kind.
        services.AddKeyedScoped<Runs.IRunHandler, Imports.ImportRunner>(Runs.RunKind.Import);
        services.AddKeyedScoped<Runs.IRunHandler, Imports.RollbackRunner>(Runs.RunKind.ImportRollback);
        services.AddKeyedScoped<Runs.IRunHandler, Exports.ExportRunner>(Runs.RunKind.Export);
        services.AddKeyedScoped<Runs.IRunHandler, Duplicates.DuplicateScanRun>(Runs.RunKind.DuplicateScan);
        services.AddSingleton<Runs.RunExecutor>();
        return services;
    }
}
