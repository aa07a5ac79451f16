using Crm.Core.Sync;

namespace Crm.Core.Integrations.HubSpot;

/// <summary>
/// The default HubSpot mappings: contacts and deals exactly as the seed's <c>HUBSPOT_CONTACT_MAPPING</c> and
/// <c>HUBSPOT_DEAL_MAPPING</c>, companies by name, domain, phone, city, country and industry. Our side is named by the
/// field registry's keys.
/// </summary>
public static class HubSpotMappings
{
    /// <summary>HubSpot's lifecycle stages and ours; the first pair of each of ours is what goes out.</summary>
    public static readonly IReadOnlyList<ValuePair> LifecycleStages =
    [
        ("lead", "lead"), ("marketingqualifiedlead", "mql"), ("salesqualifiedlead", "sql"), ("opportunity", "opportunity"), ("customer", "customer"),
        ("subscriber", "lead"), ("evangelist", "customer"), ("other", "lead"),
    ];

    public static FieldMap Contacts { get; } = new(
    [
        new("firstname", "firstName", FieldDirection.Both),
        new("lastname", "lastName", FieldDirection.Both),
        new("email", "email", FieldDirection.Both),
        new("phone", "phone", FieldDirection.Both),
        new("jobtitle", "jobTitle", FieldDirection.Both),
        new("company", "company", FieldDirection.Both),
        new("lifecyclestage", "lifecycle", FieldDirection.Both, LifecycleStages),
        new("hs_lead_status", "scoreTier", FieldDirection.Both),
        new("hubspot_owner_id", "owner", FieldDirection.Both),
        new("hs_analytics_source", "source", FieldDirection.In),
        new("hs_analytics_source_data_1", "sourceDetail", FieldDirection.In),
    ]);

    public static FieldMap Companies { get; } = new(
    [
        new("name", "name", FieldDirection.Both),
        new("domain", "domain", FieldDirection.Both),
        new("phone", "phone", FieldDirection.Both),
        new("city", "city", FieldDirection.Both),
        new("country", "country", FieldDirection.Both),
        new("industry", "industry", FieldDirection.Both),
        new("hubspot_owner_id", "owner", FieldDirection.Both),
    ]);

    public static FieldMap Deals { get; } = new(
    [
        new("dealname", "name", FieldDirection.Both),
        new("amount", "amount", FieldDirection.Both, Kind: FieldKind.Number),
        // Stages and pipelines are matched to ours when a run starts (their ids ↔ ours); see SyncedDeals.
        new("dealstage", "stage", FieldDirection.Both),
        new("closedate", "closeDate", FieldDirection.Both, Kind: FieldKind.Date),
        new("pipeline", "pipeline", FieldDirection.Both),
        new("hs_deal_stage_probability", "probability", FieldDirection.In, Kind: FieldKind.Fraction),
        new("hubspot_owner_id", "owner", FieldDirection.Both),
    ]);
}
