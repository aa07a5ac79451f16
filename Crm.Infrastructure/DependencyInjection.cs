using Microsoft.Extensions.Configuration;
using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Core.Imports;
using Crm.Infrastructure.Files;
using Crm.Infrastructure.Identity;
using Crm.Infrastructure.Imports;
using Crm.Infrastructure.Integrations;
using Crm.Infrastructure.Persistence;
using Crm.Infrastructure.Seeding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.DataProtection;

namespace Crm.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Database (SQLite by default, SQL Server when configured), Identity stores, sign-in, seeding.</summary>
    public static IHostApplicationBuilder AddCrmInfrastructure(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);
        services.AddOptions<DemoDataOptions>().BindConfiguration(DemoDataOptions.Section);

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new CrmDatabase(options.Provider, ConnectionStringOf(options, builder.Environment.ContentRootPath), sp.GetRequiredService<TimeProvider>());
        });
        services.AddScoped<ICrmDbFactory, CrmDbFactory>();
        services.AddSingleton<ITransientFailures, DatabaseTransientFailures>();
        // Identity's stores only touch the sign-in tables, which no workspace filter applies to.
        services.AddScoped<CrmDbContext>(sp => sp.GetRequiredService<CrmDatabase>().Create(Actor.Anonymous));

        services.AddIdentityCore<CrmIdentityUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<CrmDbContext>();
        services.AddScoped<ILocalAccounts, LocalAccounts>();
        services.AddScoped<PasswordSignIn>();
        services.AddSingleton<Memberships>();
        services.AddSingleton<ApiKeyVerifier>();

        var filesRoot = builder.Configuration["Files:Root"]
                        ?? Path.Combine(DataDirectoryOf(builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions(), builder.Environment.ContentRootPath), "files");
        SettingsProblem.EnsureWritableFolder("Files:Root", filesRoot);
        services.AddSingleton<IFileStore>(sp =>
        {
            var configured = builder.Configuration["Files:Root"];
            var data = DataDirectoryOf(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, builder.Environment.ContentRootPath);
            return new LocalFileStore(configured ?? Path.Combine(data, "files"));
        });
        services.AddSingleton<ITabularFileReader, TabularFileReader>();
        services.AddSingleton<IImportBatchWriter>(sp => sp.GetRequiredService<CrmDatabase>() is { Provider: DatabaseProvider.Sqlite } database
            ? new SqliteImportWriter(database)
            : new EfImportWriter(sp.GetRequiredService<CrmDatabase>()));
        services.AddSingleton<IImportStore, ImportStore>();
        services.AddSingleton<IImportJobStore, ImportJobStore>();
        services.AddSingleton<IImportRollbackStore, ImportRollbackStore>();
        services.AddSingleton<IImportErrorFile, ImportErrorFile>();
        services.AddSingleton<Crm.Core.Exports.IExportFileWriter, Crm.Infrastructure.Exports.ExportFileWriter>();
        services.AddCrmIntegrations(builder.Configuration);
        Crm.Infrastructure.Webhooks.WebhooksSetup.AddCrmWebhooks(services, builder.Configuration);
        Crm.Infrastructure.Email.EmailSetup.AddCrmEmail(services, builder.Configuration);
        // The one writer of runs; the stale period is the jobs' (Jobs:StaleAfter) where the app configures jobs.
        services.AddSingleton<Crm.Core.Runs.IRunService>(sp => new Crm.Infrastructure.Runs.RunService(sp.GetRequiredService<CrmDatabase>(),
            sp.GetRequiredService<Crm.Core.Runs.IRunQueue>(), sp.GetRequiredService<DatabaseRetry>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Crm.Infrastructure.Jobs.JobSettings>()?.StaleAfter ?? Crm.Core.Runs.RunLimits.DefaultStaleAfter));

        services.AddScoped<WorkspaceProvisioner>();
        services.AddScoped<DemoDataSeeder>();
        services.AddScoped<DatabaseInitializer>();
        return builder;
    }

    /// <summary>The configured connection string; for SQLite without one, a file in the data folder.</summary>
    public static string ConnectionStringOf(DatabaseOptions options, string contentRoot) =>
        options.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(options.ConnectionString)
            ? CrmDatabase.SqliteConnectionString(DataDirectoryOf(options, contentRoot))
            : options.ConnectionString!;

    public static string DataDirectoryOf(DatabaseOptions options, string contentRoot) =>
        Path.IsPathRooted(options.DataDirectory) ? options.DataDirectory : Path.Combine(contentRoot, options.DataDirectory);
}
