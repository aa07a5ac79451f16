using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;

namespace Crm.Web.Endpoints;

public static class ApiSetup
{
    public static WebApplicationBuilder AddCrmApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<JsonOptions>(o => Configure(o.SerializerOptions));
        // Binding failures (bad JSON, wrong types) throw so ApiExceptionHandler can answer with field-level problems.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOpenApi(o => OpenApiExamples.Add(o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CRM API";
            document.Info.Version = "v1";
            document.Info.Description = "Contacts, accounts, deals and their activities. Authenticate with a workspace API key " +
                                        "('Authorization: Bearer crm_…' or 'X-Api-Key') or a signed-in session. Updates honour If-Match.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A workspace API key created on the API keys page (shown once).",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] }];
            return Task.CompletedTask;
        })));
        return builder;
    }

    public static void Configure(JsonSerializerOptions options) => Crm.Core.Common.ApiJson.Configure(options);

    public static WebApplication MapCrmApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapGroup("/api/v1")
            .AddEndpointFilter<DomainErrorFilter>()
            .RequireAuthorization()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapContactsApi()
            .MapAccountsApi()
            .MapDealsApi()
            .MapActivitiesApi()
            .MapRecordTimelineApi()
            .MapUsersApi()
            .MapMeApi()
            .MapApiKeysApi()
            .MapCustomFieldsApi()
            .MapImportsApi()
            .MapExportsApi()
            .MapDuplicatesApi()
            .MapExternalLinksApi()
            .MapIntegrationsApi()
            .MapEmailSettingsApi()
            .MapSendEmailApi()
            .MapEmailTemplatesApi()
            .MapMeetingsApi()
            .MapWebhookSubscriptionsApi()
            .MapZapierHooksApi();
        return app;
    }
}
