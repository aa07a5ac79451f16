using Crm.Core;
using Crm.Infrastructure;
using Crm.Infrastructure.Jobs;
using Crm.Infrastructure.Persistence;
using Crm.Web;
using Crm.Web.Auth;
using Crm.Web.Endpoints;
using Crm.Web.Health;

// The SQLite data folder lives under the content root by default; watching it for configuration changes would wake
// a file watcher on every database write. Configuration is read at start (restart to change it).
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.Services.AddCrmCore();
builder.AddCrmInfrastructure();
builder.AddCrmJobs();
builder.AddCrmAuthentication();
builder.AddCrmApi();
builder.AddCrmHealth();
builder.AddCrmUi();

var app = builder.Build();
await using (var scope = app.Services.CreateAsyncScope())
    await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();

app.UseCrmPipeline();
app.MapCrmHealth();
app.MapCrmApi();
app.MapWebhooks();
app.MapInboundEmail();
app.MapEmailTracking();
app.MapIntegrationConnect();
app.MapCrmUi();
app.Run();

