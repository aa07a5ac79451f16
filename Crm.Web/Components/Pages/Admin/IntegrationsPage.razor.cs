using Crm.Core.Integrations.Connections;
using MudBlazor;

namespace Crm.Web.Components.Pages.Admin;

public partial class IntegrationsPage
{
    private sealed record Card(string Id, string Provider, IntegrationType Type, string Title, string Description, bool Available, string? ConnectPath = null);

    /// <summary>What a workspace can connect, in the order admins look for them; the ones not built yet say so.</summary>
    private static readonly Card[] Cards =
    [
        new("hubspot", IntegrationProviders.HubSpot, IntegrationType.CrmSync, "HubSpot", "Two-way sync of contacts, companies and deals", true, "/integrations/hubspot/connect"),
        new("salesforce", IntegrationProviders.Salesforce, IntegrationType.CrmSync, "Salesforce", "Two-way sync of contacts, accounts and opportunities", false),
        new("gmail", IntegrationProviders.Google, IntegrationType.Email, "Gmail", "Each rep's email on their contacts' timelines", false),
        new("outlook-mail", IntegrationProviders.Microsoft, IntegrationType.Email, "Outlook mail", "Each rep's email on their contacts' timelines", false),
        new("google-calendar", IntegrationProviders.Google, IntegrationType.Calendar, "Google Calendar", "Meetings with contacts, logged", false),
        new("outlook-calendar", IntegrationProviders.Microsoft, IntegrationType.Calendar, "Outlook Calendar", "Meetings with contacts, logged", false),
        new("apple-calendar", IntegrationProviders.CalDav, IntegrationType.Calendar, "Apple Calendar", "Any CalDAV calendar, with an app-specific password", false),
    ];

    private IReadOnlyList<IntegrationView>? _connections;

    private bool HubSpotConfigured => !string.IsNullOrEmpty(HubSpotSettings.ClientId) && !string.IsNullOrEmpty(HubSpotSettings.ClientSecret);

    protected override async Task OnInitializedAsync() => _connections = await Integrations.HandleAsync();

    /// <summary>The consent happens on the provider's site: a full page load, not an in-app navigation.</summary>
    private void Connect(Card card) => Navigation.NavigateTo($"{card.ConnectPath}?returnUrl=/admin/integrations", forceLoad: true);

    /// <summary>Revoked at the provider where it can be, tokens deleted; the card then offers Connect again.</summary>
    private async Task DisconnectAsync(IntegrationView connection)
    {
        var result = await Disconnector.HandleAsync(connection.Id);
        Snackbar.Add(result.Warning ?? $"{connection.Name} is disconnected; its tokens are deleted.", result.Warning is null ? Severity.Success : Severity.Warning);
        _connections = await Integrations.HandleAsync();
    }

    private static Color ColorOf(ConnectionStatus status) => status switch
    {
        ConnectionStatus.Connected => Color.Success,
        ConnectionStatus.Syncing => Color.Info,
        ConnectionStatus.NeedsReconnect or ConnectionStatus.Error => Color.Warning,
        _ => Color.Default,
    };
}
