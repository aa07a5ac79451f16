using Crm.Core.Sync;

namespace Crm.Core.Integrations.HubSpot;

/// <summary>
/// The default HubSpot mappings: contacts and deals exactly as the seed's <c>HUBSPOT_CONTACT_MAPPING</c> and
/// <c>HUBSPOT_DEAL_MAPPING</c>, companies by name, domain, phone, city, country and industry. Our side is named by the
/// field registry's keys.
/// </summary>
public static class HubSpotMappings
{
    /// <summary>HubSpot's standard lifecycle stages and ours, one for one.</summary>
    public static readonly IReadOnlyList<ValuePair> LifecycleStages =
    [
        ("subscriber", "subscriber"), ("lead", "lead"), ("marketingqualifiedlead", "mql"), ("salesqualifiedlead", "sql"), ("opportunity", "opportunity"),
        ("customer", "customer"), ("evangelist", "evangelist"), ("other", "other"),
    ];

    /// <summary>HubSpot's default lead statuses, each our score tier of the same name.</summary>
    public static readonly IReadOnlyList<ValuePair> LeadStatuses =
        new[] { "NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING" }.Select(s => new ValuePair(s, s)).ToList();

    /// <summary>
    /// HubSpot's industries (an enumeration there) and the plain names used here; one HubSpot does not list stays here
    /// (listed on the record) until an admin maps it.
    /// </summary>
    public static readonly IReadOnlyList<ValuePair> Industries =
    [
        ("COMPUTER_SOFTWARE", "Software"), ("INFORMATION_TECHNOLOGY_AND_SERVICES", "IT services"), ("FINANCIAL_SERVICES", "Finance"),
        ("MARKETING_AND_ADVERTISING", "Marketing"), ("HOSPITAL_HEALTH_CARE", "Healthcare"), ("RETAIL", "Retail"), ("CONSTRUCTION", "Construction"),
        ("EDUCATION_MANAGEMENT", "Education"), ("MECHANICAL_OR_INDUSTRIAL_ENGINEERING", "Manufacturing"), ("LOGISTICS_AND_SUPPLY_CHAIN", "Logistics"),
        ("OIL_ENERGY", "Energy"), ("MEDIA_PRODUCTION", "Media"), ("HOSPITALITY", "Hospitality"),
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
        // HubSpot's lead statuses travel as they are; a tier of ours HubSpot has no status for stays here (listed on the record) until mapped.
        new("hs_lead_status", "scoreTier", FieldDirection.Both, LeadStatuses),
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
        new("industry", "industry", FieldDirection.Both, Industries),
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
