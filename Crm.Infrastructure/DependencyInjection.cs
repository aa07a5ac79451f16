using Crm.Core.Common;
using Crm.Core.Users;
using Crm.Infrastructure.Identity;
using Crm.Infrastructure.Persistence;
using Crm.Infrastructure.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
            var connectionString = options.ConnectionString;
            if (options.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(connectionString))
            {
                var folder = Path.IsPathRooted(options.DataDirectory)
                    ? options.DataDirectory
                    : Path.Combine(builder.Environment.ContentRootPath, options.DataDirectory);
                connectionString = CrmDatabase.SqliteConnectionString(folder);
            }
            return new CrmDatabase(options.Provider, connectionString!, sp.GetRequiredService<TimeProvider>());
        });
        services.AddScoped<ICrmDbFactory, CrmDbFactory>();
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

        services.AddScoped<WorkspaceProvisioner>();
        services.AddScoped<DemoDataSeeder>();
        services.AddScoped<DatabaseInitializer>();
        return builder;
    }
}
