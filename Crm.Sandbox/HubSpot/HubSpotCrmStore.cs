using System.Globalization;
using System.Text.RegularExpressions;

namespace Crm.Sandbox.HubSpot;

/// <summary>A property of a HubSpot object type, as GET /crm/v3/properties/{objectType} describes it.</summary>
public sealed record HubSpotProperty(string Name, string Label, string Type, string FieldType, string GroupName, bool HubSpotDefined,
    IReadOnlyList<(string Value, string Label)>? Options = null, bool ReadOnly = false, bool HasUniqueValue = false);

/// <summary>One CRM record: string property values as HubSpot's API carries them, times, archived state.</summary>
public sealed class HubSpotRecord
{
    public required string Id { get; init; }
    public Dictionary<string, string?> Properties { get; } = new(StringComparer.Ordinal);
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public bool Archived { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
}

/// <summary>A property value HubSpot refuses: its error code and message, per property.</summary>
public sealed record PropertyProblem(string Name, string Error, string Message);

/// <summary>
/// The portal's CRM in memory: contacts, companies and deals with HubSpot's default properties (and custom ones made
/// through the API), ids from one counter per type, unique contact emails, enumeration values checked, the
/// modification date kept as HubSpot keeps it (contacts: <c>lastmodifieddate</c>; others: <c>hs_lastmodifieddate</c>).
/// </summary>
public sealed partial class HubSpotCrmStore(TimeProvider time, HubSpotWebhooks? webhooks = null)
{
    /// <summary>Who the changes now being made are by, in HubSpot's words (webhooks say it): the API's callers, or a person.</summary>
    private static readonly AsyncLocal<string?> ChangeSource = new();

    /// <summary>Runs <paramref name="change"/> as a person in HubSpot's own UI would (webhooks say CRM_UI).</summary>
    public static T AsUser<T>(Func<T> change)
    {
        ChangeSource.Value = "CRM_UI";
        try { return change(); } finally { ChangeSource.Value = null; }
    }

    /// <summary>HubSpot's app webhooks cover contacts, companies and deals, not engagements.</summary>
    private void Notify(string objectType, string id, string kind, IReadOnlyDictionary<string, string?>? changed = null)
    {
        if (!Engagements.Contains(objectType)) webhooks?.Record(objectType, id, kind, changed, ChangeSource.Value ?? "INTEGRATION");
    }

    /// <summary>The engagements (activities): notes, tasks, calls, meetings and emails, with one id space as in HubSpot.</summary>
    public static readonly string[] Engagements = ["notes", "tasks", "calls", "meetings", "emails"];

    public static readonly string[] ObjectTypes = ["contacts", "companies", "deals", .. Engagements];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedDictionary<long, HubSpotRecord>> _records = ObjectTypes.ToDictionary(t => t, _ => new SortedDictionary<long, HubSpotRecord>());
    private readonly Dictionary<string, long> _nextId = new() { ["contacts"] = 101, ["companies"] = 5001, ["deals"] = 9001, ["engagements"] = 30_001 };
    private readonly Dictionary<string, List<HubSpotProperty>> _properties = ObjectTypes.ToDictionary(t => t, DefaultProperties);

    public static string ModifiedProperty(string objectType) => objectType == "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public IReadOnlyList<HubSpotProperty> Properties(string objectType)
    {
        lock (_lock) return _properties[objectType].ToList();
    }

    public HubSpotProperty? AddProperty(string objectType, HubSpotProperty property)
    {
        lock (_lock)
        {
            if (_properties[objectType].Any(p => p.Name == property.Name)) return null;
            _properties[objectType].Add(property);
            return property;
        }
    }

    public HubSpotRecord? Get(string objectType, string id, bool archived = false)
    {
        lock (_lock)
            return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && _records[objectType].TryGetValue(key, out var r) && r.Archived == archived ? r : null;
    }

    /// <summary>A record by a unique property (contacts' email), as <c>idProperty</c> asks.</summary>
    public HubSpotRecord? GetBy(string objectType, string property, string value)
    {
        lock (_lock)
            return objectType == "contacts" && property == "email" ? _emails.GetValueOrDefault(value)
                : _records[objectType].Values.FirstOrDefault(r => !r.Archived && string.Equals(r.Properties.GetValueOrDefault(property), value, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Live contacts by email (HubSpot's unique property), so a large seeded portal is not scanned per create.</summary>
    private readonly Dictionary<string, HubSpotRecord> _emails = new(StringComparer.OrdinalIgnoreCase);

    private void Index(string objectType, HubSpotRecord record, string? before)
    {
        if (objectType != "contacts") return;
        if (before is not null && _emails.GetValueOrDefault(before) == record) _emails.Remove(before);
        if (!record.Archived && record.Properties.GetValueOrDefault("email") is { Length: > 0 } email) _emails[email] = record;
    }

    /// <summary>Records after an id, in id order (list paging).</summary>
    public List<HubSpotRecord> Page(string objectType, long after, int limit, bool archived)
    {
        lock (_lock) return _records[objectType].Where(kv => kv.Key > after && kv.Value.Archived == archived).Take(limit).Select(kv => kv.Value).ToList();
    }

    public List<HubSpotRecord> All(string objectType)
    {
        lock (_lock) return _records[objectType].Values.Where(r => !r.Archived).ToList();
    }

    /// <summary>Checks values against the type's properties: unknown, read-only, bad email, number, date or option.</summary>
    public List<PropertyProblem> Validate(string objectType, IReadOnlyDictionary<string, string?> values)
    {
        var problems = new List<PropertyProblem>();
        List<HubSpotProperty> definitions;
        lock (_lock) definitions = _properties[objectType];
        foreach (var (name, value) in values)
        {
            var property = definitions.FirstOrDefault(p => p.Name == name);
            if (property is null) { problems.Add(new(name, "PROPERTY_DOESNT_EXIST", $"Property \"{name}\" does not exist")); continue; }
            if (property.ReadOnly) { problems.Add(new(name, "READ_ONLY_VALUE", $"{name} is a read only property; its value cannot be set.")); continue; }
            if (string.IsNullOrEmpty(value)) continue;
            if (name == "email" && !EmailShape().IsMatch(value)) problems.Add(new(name, "INVALID_EMAIL", $"Email address {value} is invalid"));
            else if (property.Type == "number" && !decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                problems.Add(new(name, "INVALID_DECIMAL", $"{value} was not a valid number."));
            else if (property.Type is "date" or "datetime" && !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
                     && !long.TryParse(value, out _))
                problems.Add(new(name, "INVALID_DATE", $"{value} is not a valid date."));
            else if (property.Type == "enumeration" && property.Options is { } options && property.FieldType != "checkbox" && !options.Any(o => o.Value == value))
                problems.Add(new(name, "INVALID_OPTION", $"{value} was not one of the allowed options: [{string.Join(", ", options.Select(o => o.Value))}]"));
        }
        return problems;
    }

    /// <summary>A live record other than <paramref name="self"/> holding one of these values of a unique property (a contact's email, a custom unique one).</summary>
    private HubSpotRecord? Taken(string objectType, IReadOnlyDictionary<string, string?> values, HubSpotRecord? self)
    {
        if (objectType == "contacts" && values.GetValueOrDefault("email") is { Length: > 0 } email && GetBy("contacts", "email", email) is { } byEmail && byEmail != self)
            return byEmail;
        foreach (var property in _properties[objectType].Where(p => p.HasUniqueValue && !p.HubSpotDefined))
            if (values.GetValueOrDefault(property.Name) is { Length: > 0 } value && GetBy(objectType, property.Name, value) is { } other && other != self)
                return other;
        return null;
    }

    /// <summary>HubSpot's words for a create or update refused for a unique value another record holds.</summary>
    public string ConflictMessage(string objectType, string existingId) => objectType == "contacts"
        ? $"Contact already exists. Existing ID: {existingId}"
        : $"A {objectType[..^1].Replace("companie", "company")} with this unique property value already exists. Existing ID: {existingId}";

    /// <summary>Creates a record; null with the existing record's id when a unique value (a contact's email) is taken.</summary>
    public (HubSpotRecord? Created, string? ExistingId) Create(string objectType, IReadOnlyDictionary<string, string?> values)
    {
        lock (_lock)
        {
            if (Taken(objectType, values, null) is { } existing)
                return (null, existing.Id);
            var now = time.GetUtcNow();
            var id = _nextId[Engagements.Contains(objectType) ? "engagements" : objectType]++;
            var record = new HubSpotRecord { Id = id.ToString(CultureInfo.InvariantCulture), CreatedAt = now, UpdatedAt = now };
            foreach (var (name, value) in values) if (!string.IsNullOrEmpty(value)) record.Properties[name] = Stored(objectType, name, value);
            record.Properties["hs_object_id"] = record.Id;
            record.Properties["createdate"] = Timestamp(now);
            record.Properties[ModifiedProperty(objectType)] = Timestamp(now);
            if (objectType == "contacts") record.Properties.TryAdd("lifecyclestage", "lead");
            if (objectType == "deals") record.Properties.TryAdd("pipeline", "default");
            Calculate(objectType, record);
            _records[objectType][id] = record;
            Index(objectType, record, null);
            Notify(objectType, record.Id, "creation");
            return (record, null);
        }
    }

    /// <summary>Sets values (empty clears); a contact's email taken by another is refused with its id.</summary>
    public (HubSpotRecord? Updated, string? ConflictId) Update(string objectType, HubSpotRecord record, IReadOnlyDictionary<string, string?> values)
    {
        lock (_lock)
        {
            if (Taken(objectType, values, record) is { } other)
                return (null, other.Id);
            var before = record.Properties.GetValueOrDefault("email");
            foreach (var (name, value) in values)
                if (string.IsNullOrEmpty(value)) record.Properties.Remove(name);
                else record.Properties[name] = Stored(objectType, name, value);
            var now = time.GetUtcNow();
            record.UpdatedAt = now;
            record.Properties[ModifiedProperty(objectType)] = Timestamp(now);
            Calculate(objectType, record);
            Index(objectType, record, before);
            Notify(objectType, record.Id, "propertyChange", values);
            return (record, null);
        }
    }

    public bool Archive(string objectType, string id)
    {
        lock (_lock)
        {
            if (Get(objectType, id) is not { } record) return false;
            record.Archived = true;
            record.ArchivedAt = time.GetUtcNow();
            Index(objectType, record, record.Properties.GetValueOrDefault("email"));
            Notify(objectType, record.Id, "deletion");
            return true;
        }
    }

    /// <summary>A date-time is kept as HubSpot answers it (ISO 8601 UTC with milliseconds), whether given as a date, a date-time or epoch milliseconds.</summary>
    private string Stored(string objectType, string name, string value)
    {
        if (_properties[objectType].FirstOrDefault(p => p.Name == name) is not { Type: "datetime" or "date" } property) return value;
        var at = long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;
        return at is null ? value : property.Type == "date" ? at.Value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Timestamp(at.Value);
    }

    /// <summary>HubSpot's calculated properties: a deal's probability is its stage's.</summary>
    private static void Calculate(string objectType, HubSpotRecord record)
    {
        if (objectType == "emails") EmailAddresses(record);
        if (objectType != "deals") return;
        var stage = HubSpotPipelines.Default.Stages.FirstOrDefault(s => s.Id == record.Properties.GetValueOrDefault("dealstage"));
        if (stage is null) record.Properties.Remove("hs_deal_stage_probability");
        else record.Properties["hs_deal_stage_probability"] = stage.Probability.ToString("0.0", CultureInfo.InvariantCulture);
    }

    /// <summary>An email's sender and recipients, as HubSpot reads them from its headers (<c>{"from":{"email"},"to":[{"email"}]}</c>).</summary>
    private static void EmailAddresses(HubSpotRecord record)
    {
        record.Properties.Remove("hs_email_from_email");
        record.Properties.Remove("hs_email_to_email");
        if (record.Properties.GetValueOrDefault("hs_email_headers") is not { Length: > 0 } headers) return;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(headers);
            if (json.RootElement.TryGetProperty("from", out var from) && from.TryGetProperty("email", out var email)) record.Properties["hs_email_from_email"] = email.GetString();
            if (json.RootElement.TryGetProperty("to", out var to) && to.ValueKind == System.Text.Json.JsonValueKind.Array)
                record.Properties["hs_email_to_email"] = string.Join(';', to.EnumerateArray().Select(t => t.TryGetProperty("email", out var e) ? e.GetString() : null).OfType<string>());
        }
        catch (System.Text.Json.JsonException)
        {
            // Headers HubSpot cannot read leave the addresses empty, as it does.
        }
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailShape();

    private static List<HubSpotProperty> DefaultProperties(string objectType)
    {
        (string, string)[] Options(params string[] values) => values.Select(v => (v, Titled(v))).ToArray();
        var common = new List<HubSpotProperty>
        {
            new("hs_object_id", "Record ID", "number", "number", "objectinformation", true, ReadOnly: true),
            new("createdate", "Create Date", "datetime", "date", "objectinformation", true, ReadOnly: true),
            new(ModifiedProperty(objectType), "Last Modified Date", "datetime", "date", "objectinformation", true, ReadOnly: true),
            new("hubspot_owner_id", "Owner", "enumeration", "select", "objectinformation", true),
        };
        common.AddRange(objectType switch
        {
            "contacts" =>
            [
                new("email", "Email", "string", "text", "contactinformation", true, HasUniqueValue: true),
                new("firstname", "First Name", "string", "text", "contactinformation", true),
                new("lastname", "Last Name", "string", "text", "contactinformation", true),
                new("phone", "Phone Number", "string", "phonenumber", "contactinformation", true),
                new("mobilephone", "Mobile Phone Number", "string", "phonenumber", "contactinformation", true),
                new("company", "Company Name", "string", "text", "contactinformation", true),
                new("jobtitle", "Job Title", "string", "text", "contactinformation", true),
                new("website", "Website URL", "string", "text", "contactinformation", true),
                new("address", "Street Address", "string", "text", "contactinformation", true),
                new("city", "City", "string", "text", "contactinformation", true),
                new("state", "State/Region", "string", "text", "contactinformation", true),
                new("zip", "Postal Code", "string", "text", "contactinformation", true),
                new("country", "Country/Region", "string", "text", "contactinformation", true),
                new("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", "contactinformation", true,
                    Options("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other")),
                new("hs_lead_status", "Lead Status", "enumeration", "radio", "sales_properties", true,
                    Options("NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING")),
                new("hs_merged_object_ids", "Merged Contact IDs", "enumeration", "checkbox", "contactinformation", true, ReadOnly: true),
                new("associatedcompanyid", "Primary Associated Company ID", "number", "number", "contactinformation", true),
                new("hs_analytics_source", "Original Source", "enumeration", "select", "analyticsinformation", true,
                    Options("ORGANIC_SEARCH", "PAID_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA", "REFERRALS", "OTHER_CAMPAIGNS", "DIRECT_TRAFFIC", "OFFLINE", "PAID_SOCIAL"), ReadOnly: true),
                new("hs_analytics_source_data_1", "Original Source Drill-Down 1", "string", "text", "analyticsinformation", true, ReadOnly: true),
            ],
            "companies" =>
            [
                new("name", "Company name", "string", "text", "companyinformation", true),
                new("domain", "Company Domain Name", "string", "text", "companyinformation", true, HasUniqueValue: false),
                new("phone", "Phone Number", "string", "phonenumber", "companyinformation", true),
                new("city", "City", "string", "text", "companyinformation", true),
                new("country", "Country/Region", "string", "text", "companyinformation", true),
                new("industry", "Industry", "enumeration", "select", "companyinformation", true,
                    Options("COMPUTER_SOFTWARE", "INFORMATION_TECHNOLOGY_AND_SERVICES", "FINANCIAL_SERVICES", "MARKETING_AND_ADVERTISING", "HOSPITAL_HEALTH_CARE", "RETAIL", "CONSTRUCTION",
                        "EDUCATION_MANAGEMENT", "MECHANICAL_OR_INDUSTRIAL_ENGINEERING", "LOGISTICS_AND_SUPPLY_CHAIN", "OIL_ENERGY", "MEDIA_PRODUCTION", "HOSPITALITY", "BANKING", "INSURANCE")),
                new("numberofemployees", "Number of Employees", "number", "number", "companyinformation", true),
                new("annualrevenue", "Annual Revenue", "number", "number", "companyinformation", true),
                new("hs_merged_object_ids", "Merged Company IDs", "enumeration", "checkbox", "companyinformation", true, ReadOnly: true),
            ],
            "notes" =>
            [
                new("hs_timestamp", "Activity date", "datetime", "date", "engagement", true),
                new("hs_note_body", "Note body", "string", "html", "engagement", true),
            ],
            "tasks" =>
            [
                new("hs_timestamp", "Due date", "datetime", "date", "task", true),
                new("hs_task_subject", "Task Title", "string", "text", "task", true),
                new("hs_task_body", "Notes", "string", "html", "task", true),
                new("hs_task_status", "Task Status", "enumeration", "select", "task", true, Options("NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED")),
                new("hs_task_priority", "Priority", "enumeration", "select", "task", true, Options("LOW", "MEDIUM", "HIGH")),
                new("hs_task_type", "Task Type", "enumeration", "select", "task", true, Options("EMAIL", "CALL", "TODO")),
            ],
            "calls" =>
            [
                new("hs_timestamp", "Activity date", "datetime", "date", "call", true),
                new("hs_call_title", "Call Title", "string", "text", "call", true),
                new("hs_call_body", "Call notes", "string", "html", "call", true),
                new("hs_call_direction", "Call direction", "enumeration", "select", "call", true, Options("INBOUND", "OUTBOUND")),
                new("hs_call_disposition", "Call outcome", "string", "text", "call", true),
                new("hs_call_duration", "Call duration", "number", "number", "call", true),
                new("hs_call_to_number", "To Number", "string", "text", "call", true),
                new("hs_call_status", "Call status", "enumeration", "select", "call", true, Options("BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED", "IN_PROGRESS", "MISSED", "NO_ANSWER", "QUEUED", "RINGING")),
            ],
            "meetings" =>
            [
                new("hs_timestamp", "Activity date", "datetime", "date", "meeting", true),
                new("hs_meeting_title", "Meeting name", "string", "text", "meeting", true),
                new("hs_meeting_body", "Meeting description", "string", "html", "meeting", true),
                new("hs_meeting_start_time", "Start Time", "datetime", "date", "meeting", true),
                new("hs_meeting_end_time", "End Time", "datetime", "date", "meeting", true),
                new("hs_meeting_location", "Location", "string", "text", "meeting", true),
                new("hs_meeting_external_url", "External URL", "string", "text", "meeting", true),
                new("hs_meeting_outcome", "Meeting outcome", "enumeration", "select", "meeting", true, Options("SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED")),
                new("hs_internal_meeting_notes", "Internal notes", "string", "html", "meeting", true),
            ],
            "emails" =>
            [
                new("hs_timestamp", "Activity date", "datetime", "date", "email", true),
                new("hs_email_subject", "Email subject", "string", "text", "email", true),
                new("hs_email_text", "Email body", "string", "text", "email", true),
                new("hs_email_direction", "Email direction", "enumeration", "select", "email", true, Options("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL")),
                new("hs_email_status", "Email send status", "enumeration", "select", "email", true, Options("BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT")),
                new("hs_email_headers", "Email headers", "string", "text", "email", true),
                new("hs_email_from_email", "From", "string", "text", "email", true, ReadOnly: true),
                new("hs_email_to_email", "To", "string", "text", "email", true, ReadOnly: true),
            ],
            _ =>
            [
                new("dealname", "Deal Name", "string", "text", "dealinformation", true),
                new("amount", "Amount", "number", "number", "dealinformation", true),
                new("dealstage", "Deal Stage", "enumeration", "radio", "dealinformation", true, HubSpotPipelines.Default.Stages.Select(s => (s.Id, s.Label)).ToArray()),
                new("pipeline", "Pipeline", "enumeration", "select", "dealinformation", true, [("default", "Sales Pipeline")]),
                new("closedate", "Close Date", "datetime", "date", "dealinformation", true),
                new("hs_deal_stage_probability", "Deal probability", "number", "number", "dealinformation", true, ReadOnly: true),
                new("deal_currency_code", "Currency", "enumeration", "select", "dealinformation", true, Options("EUR", "USD", "GBP")),
                new("num_associated_contacts", "Number of Associated Contacts", "number", "number", "dealinformation", true, ReadOnly: true),
                new("hs_merged_object_ids", "Merged Deal IDs", "enumeration", "checkbox", "dealinformation", true, ReadOnly: true),
            ],
        });
        return common;
    }

    private static string Titled(string value) => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(value.Replace('_', ' ').ToLowerInvariant());
}

/// <summary>The portal's deal pipeline (GET /crm/v3/pipelines/deals), HubSpot's default stages and probabilities.</summary>
public static class HubSpotPipelines
{
    public sealed record Stage(string Id, string Label, int DisplayOrder, double Probability, bool IsClosed);
    public sealed record Pipeline(string Id, string Label, IReadOnlyList<Stage> Stages);

    public static readonly Pipeline Default = new("default", "Sales Pipeline",
    [
        new("appointmentscheduled", "Appointment Scheduled", 0, 0.2, false),
        new("qualifiedtobuy", "Qualified To Buy", 1, 0.4, false),
        new("presentationscheduled", "Presentation Scheduled", 2, 0.6, false),
        new("decisionmakerboughtin", "Decision Maker Bought-In", 3, 0.8, false),
        new("contractsent", "Contract Sent", 4, 0.9, false),
        new("closedwon", "Closed Won", 5, 1.0, true),
        new("closedlost", "Closed Lost", 6, 0.0, true),
    ]);
}
